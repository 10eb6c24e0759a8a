#pragma once
// The enti registry: the Provincia (coordinating ente) and its Comuni, the tenants of the
// platform. An ente is named by its ISTAT code: 3 digits for a Provincia ("019"), 6 for a Comune
// ("019036" Cremona). Every other table that holds tenant data refers to enti.istat.
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/audit.hpp"
#include "calendar/calendar.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"
#include "db/db.hpp"

namespace cst::enti {

struct Patron {
  std::string name;
  unsigned month = 0;
  unsigned day = 0;
};

struct Ente {
  std::string istat;
  std::string name;
  std::string kind;  // "provincia" | "comune"
  std::optional<std::string> parent;
  std::string codice_fiscale;
  std::optional<std::string> ipa_code;
  std::optional<std::string> cadastral_code;
  std::int64_t population = 0;
  std::optional<std::string> adhesion_date;  // YYYY-MM-DD
  std::vector<std::string> services;
  std::optional<Patron> patron;
};

// "Comune di <name>" or "Provincia di <name>" by the ente's kind, unless the registered name says
// so already (the registry keeps a Comune's bare name, "Cremona", as ISTAT lists it).
std::string formalName(const std::string& name, const std::string& kind);
inline std::string formalName(const Ente& e) { return formalName(e.name, e.kind); }

// The services a Comune can subscribe (the platform's modules).
const std::set<std::string>& knownServices();

// Validates the fields of an ente read from JSON; errors name each bad field.
Result<Ente> enteFromJson(const nlohmann::json& body);
nlohmann::json toJson(const Ente& e);
// Italian numeric codice fiscale / partita IVA of a legal person: 11 digits, Luhn-style check.
bool validNumericFiscalCode(const std::string& cf);

// The ente's calendar for deadlines and business hours: national holidays plus its patron saint.
calendar::CalendarConfig calendarConfig(const Ente& e);

class Registry {
 public:
  Registry(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  struct Page {
    std::vector<Ente> items;
    std::optional<std::string> next_cursor;
  };
  // Enti visible in `scope` (all when `all`), optionally matching `q` in name or code.
  Result<Page> list(bool all, const std::set<std::string>& visible,
                    const std::optional<std::string>& q, const std::optional<std::string>& after,
                    int limit);
  Result<Ente> get(const std::string& istat);
  // The ente's name for messages and reports ("Comune di ..."), or the code itself when it is
  // unknown or the database cannot answer: a mail about a ticket must not fail for its label.
  // Cached for a minute (cleared here on create/update; another instance's rename shows within
  // the minute), because a batch job names the same few enti thousands of times.
  std::string name(const std::string& istat);
  // The name an ente signs with, for documents and the pagoPA node: "Comune di Cremona",
  // "Provincia di Cremona" (formalName below); cached like name().
  std::string formalName(const std::string& istat);
  Result<Ente> create(const Ente& e, const audit::Entry& who);
  Result<Ente> update(const std::string& istat, const nlohmann::json& patch,
                      const audit::Entry& who);
  // Inserts or leaves alone (demo seed); returns true when inserted.
  Result<bool> ensure(const Ente& e);

 private:
  void forgetNames();

  db::Database& db_;
  const Clock& clock_;
  std::mutex names_mu_;
  struct Named {
    std::string name, kind;
  };
  // The cached (name, kind) of `istat`; nullopt when unknown or unreadable (not cached then).
  std::optional<Named> named(const std::string& istat);
  std::unordered_map<std::string, Named> names_;
  std::chrono::steady_clock::time_point names_until_{};
};

}  // namespace cst::enti
