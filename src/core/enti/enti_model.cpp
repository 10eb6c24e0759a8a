#include <algorithm>
#include <cctype>
#include <chrono>
#include <regex>

#include "common/json_fields.hpp"
#include "enti/enti.hpp"

namespace cst::enti {

using nlohmann::json;

const std::set<std::string>& knownServices() {
  static const std::set<std::string> services{"helpdesk",     "payments",  "protocol", "sportello",
                                              "preservation", "video",     "backup",   "antivirus",
                                              "contracts",    "governance"};
  return services;
}

std::string formalName(const std::string& name, const std::string& kind) {
  const std::string prefix = kind == "comune" ? "Comune" : kind == "provincia" ? "Provincia" : "";
  if (prefix.empty()) return name;
  const bool named = name.size() >= prefix.size() &&
                     std::equal(prefix.begin(), prefix.end(), name.begin(), [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     });
  return named ? name : prefix + " di " + name;
}

bool validNumericFiscalCode(const std::string& cf) {
  if (cf.size() != 11) return false;
  int sum = 0;
  for (int i = 0; i < 11; ++i) {
    if (cf[i] < '0' || cf[i] > '9') return false;
    int d = cf[i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 == 0;
}

namespace {
bool validDate(const std::string& s) {
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  if (!std::regex_match(s, kDate)) return false;
  using namespace std::chrono;
  const year_month_day d{year{std::stoi(s.substr(0, 4))},
                         month{unsigned(std::stoi(s.substr(5, 2)))},
                         day{unsigned(std::stoi(s.substr(8, 2)))}};
  return d.ok();
}

}  // namespace

Result<Ente> enteFromJson(const json& body) {
  JsonFields fields(body, "invalid ente");
  auto bad = [&fields](std::string field, std::string message) {
    fields.bad(std::move(field), std::move(message));
  };
  auto str = [&](const char* key, bool required) {
    return fields.text(key, required ? JsonFields::Need::kRequired : JsonFields::Need::kOptional);
  };
  Ente e;
  e.istat = str("istat", true).value_or("");
  e.name = str("name", true).value_or("");
  e.kind = str("kind", true).value_or("");
  e.parent = str("parent", false);
  e.codice_fiscale = str("codice_fiscale", true).value_or("");
  e.ipa_code = str("ipa_code", false);
  e.cadastral_code = str("cadastral_code", false);
  e.adhesion_date = str("adhesion_date", false);

  if (e.kind != "provincia" && e.kind != "comune" && body.contains("kind"))
    bad("kind", "deve essere \"provincia\" o \"comune\"");
  static const std::regex kProvincia(R"(\d{3})"), kComune(R"(\d{6})");
  if (!e.istat.empty()) {
    if (e.kind == "provincia" && !std::regex_match(e.istat, kProvincia))
      bad("istat", "il codice ISTAT di una provincia ha 3 cifre");
    if (e.kind == "comune" && !std::regex_match(e.istat, kComune))
      bad("istat", "il codice ISTAT di un comune ha 6 cifre");
  }
  if (e.kind == "comune" && e.parent && e.istat.rfind(*e.parent, 0) != 0)
    bad("parent", "il codice ISTAT del comune deve iniziare con quello della provincia");
  if (body.contains("name") && body["name"].is_string() && (e.name.empty() || e.name.size() > 200))
    bad("name", "da 1 a 200 caratteri");
  if (!e.codice_fiscale.empty() && !validNumericFiscalCode(e.codice_fiscale))
    bad("codice_fiscale",
        "codice fiscale numerico non valido (11 cifre con carattere di controllo)");
  if (e.adhesion_date && !validDate(*e.adhesion_date))
    bad("adhesion_date", "data non valida (AAAA-MM-GG)");
  if (!body.contains("population") || !body["population"].is_number_integer() ||
      body["population"].get<std::int64_t>() < 0)
    bad("population", "numero intero non negativo obbligatorio");
  else
    e.population = body["population"].get<std::int64_t>();
  if (body.contains("services")) {
    if (!body["services"].is_array()) {
      bad("services", "deve essere un elenco");
    } else {
      for (const json& s : body["services"]) {
        if (!s.is_string() || !knownServices().count(s.get<std::string>()))
          bad("services", "servizio sconosciuto: " + s.dump());
        else
          e.services.push_back(s.get<std::string>());
      }
    }
  }
  if (body.contains("patron") && !body["patron"].is_null()) {
    const json& p = body["patron"];
    if (!p.is_object() || !p.value("name", json()).is_string() ||
        !p.value("month", json()).is_number_unsigned() ||
        !p.value("day", json()).is_number_unsigned()) {
      bad("patron", "atteso {name, month, day}");
    } else {
      Patron patron{p["name"].get<std::string>(), p["month"].get<unsigned>(),
                    p["day"].get<unsigned>()};
      using namespace std::chrono;
      if (!(year{2024} / month{patron.month} / day{patron.day}).ok())
        bad("patron", "giorno e mese non validi");
      else
        e.patron = patron;
    }
  }
  if (auto st = fields.result(); !st) return tl::unexpected(st.error());
  return e;
}

json toJson(const Ente& e) {
  // Filled key by key: an initializer list deep-copies every value once more, and this runs on
  // every read of an ente (the most frequent authenticated read).
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(); };
  json j = json::object();
  j["istat"] = e.istat;
  j["name"] = e.name;
  j["kind"] = e.kind;
  j["parent"] = opt(e.parent);
  j["codice_fiscale"] = e.codice_fiscale;
  j["ipa_code"] = opt(e.ipa_code);
  j["cadastral_code"] = opt(e.cadastral_code);
  j["population"] = e.population;
  j["adhesion_date"] = opt(e.adhesion_date);
  j["services"] = e.services;
  json patron;
  if (e.patron) {
    patron["name"] = e.patron->name;
    patron["month"] = e.patron->month;
    patron["day"] = e.patron->day;
  }
  j["patron"] = std::move(patron);
  return j;
}

calendar::CalendarConfig calendarConfig(const Ente& e) {
  calendar::CalendarConfig cfg;
  if (e.patron)
    cfg.patron = calendar::PatronSaint{
        std::chrono::month{e.patron->month} / std::chrono::day{e.patron->day}, e.patron->name};
  return cfg;
}

}  // namespace cst::enti
