// The demo seed of `cst serve --demo`: the Provincia di Cremona and some of its real Comuni
// (resources/demo/enti-cremona.csv, ISTAT data), a user for every role, and each module's sample
// data.
#include <spdlog/spdlog.h>

#include <sstream>

#include "auth/password.hpp"
#include "platform/platform.hpp"

namespace cst {

namespace demo {
const char* entiCsv();  // embedded from resources/demo/enti-cremona.csv
}

namespace {

// RFC 4180 fields of one line (quotes, doubled quotes).
std::vector<std::string> csvFields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

const char* kDemoPassword = "cst-demo-2026";

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> Platform::seedDemo() {
  std::istringstream csv(demo::entiCsv());
  std::string line;
  std::getline(csv, line);  // header
  std::string provincia;
  while (std::getline(csv, line)) {
    if (line.empty()) continue;
    const auto f = csvFields(line);
    if (f.size() < 11) return fail(ErrorCode::kInternal, "demo CSV: bad line " + line);
    enti::Ente e;
    e.istat = f[0];
    e.name = f[1];
    e.kind = f[2];
    e.codice_fiscale = f[3];
    if (!f[4].empty()) e.ipa_code = f[4];
    if (!f[5].empty()) e.cadastral_code = f[5];
    e.population = std::stoll(f[6]);
    if (e.kind == "provincia") {
      provincia = e.istat;
    } else {
      e.parent = provincia;
      e.adhesion_date = "2025-01-01";
      e.services = {"helpdesk", "antivirus", "backup", "payments", "protocol"};
    }
    if (!f[8].empty() && !f[9].empty() && !f[10].empty())
      e.patron = enti::Patron{f[8], static_cast<unsigned>(std::stoi(f[9])),
                              static_cast<unsigned>(std::stoi(f[10]))};
    if (auto r = enti->ensure(e); !r) return tl::unexpected(r.error());
  }

  struct DemoUser {
    const char* username;
    const char* name;
    auth::Role role;
    const char* ente;
    const char* fiscal_code = nullptr;
  };
  const DemoUser users[] = {
      {"admin", "Amministratore CST", auth::Role::kCstAdmin, nullptr},
      {"operatore", "Operatore del call center", auth::Role::kCstAgent, nullptr},
      {"comitato", "Membro del comitato tecnico", auth::Role::kCommittee, nullptr},
      {"revisore", "Revisore privacy", auth::Role::kAuditor, nullptr},
      {"ref.cremona", "Referente informatico di Cremona", auth::Role::kEnteAdmin, "019036"},
      {"impiegato.cremona", "Impiegato del Comune di Cremona", auth::Role::kEnteOperator, "019036"},
      {"ref.crema", "Referente informatico di Crema", auth::Role::kEnteAdmin, "019035"},
      {"vigile.cremona", "Agente di polizia locale di Cremona", auth::Role::kPolice, "019036"},
      {"geometra.rossi", "Geom. Mario Rossi", auth::Role::kProfessional, "019036"},
      // The debtor of the payments module's demo positions: she sees them after logging in.
      {"cittadino.bianchi", "Laura Bianchi", auth::Role::kCitizen, "019036", "BNCLRA90E45D150P"},
      {"agente.backup.cremona", "Agente di backup di Cremona", auth::Role::kAgent, "019036"},
  };
  std::vector<std::pair<std::string, std::string>> credentials;
  audit::Entry who;
  who.actor = "demo";
  who.request_id = "demo-seed";
  for (const DemoUser& u : users) {
    // Addresses under the reserved .example domain (RFC 2606): mail to the desk from them is
    // recognised as coming from these users.
    auth::NewUser nu{u.username,
                     u.name,
                     std::string(u.username) + "@cst-cremona.example",
                     kDemoPassword,
                     {{u.role, u.ente ? std::optional<std::string>(u.ente) : std::nullopt}},
                     u.fiscal_code ? std::optional<std::string>(u.fiscal_code) : std::nullopt};
    auto created = identity->createUser(nu, nullptr, who);
    // Already there from an earlier start on the same data: keep it as it is.
    if (!created && created.error().code != ErrorCode::kConflict)
      return tl::unexpected(created.error());
    credentials.emplace_back(
        std::string(u.username) + " (" + std::string(auth::roleName(u.role)) + ")", kDemoPassword);
  }
  for (Module& m : modules)
    if (m.seedDemo)
      if (auto s = m.seedDemo(*this); !s) return tl::unexpected(s.error());
  return credentials;
}

}  // namespace cst
