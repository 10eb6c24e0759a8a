#pragma once
// The protocol register's records (DPR 445/2000 art. 53-57; facts in ../shared/reference/suap.md
// §3 and the AgID guidelines): a registration, its correspondents and documents, the AOO's
// configuration, and how a registration request is read and checked. No I/O.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "protocol/api.hpp"

namespace cst::protocol {

nlohmann::json toJson(const Correspondent& c);

// Limits of what one registration holds.
constexpr std::size_t kMaxSubject = 2000;
constexpr std::size_t kMaxCorrespondents = 200;
constexpr std::size_t kMaxAttachments = 200;

// Reads and checks a registration request; every problem is named by field ("subject",
// "correspondents[1].fiscal_code", "attachments[0].description", ...).
Result<NewRegistration> registrationFromJson(const nlohmann::json& body);

nlohmann::json toJson(const Registration& r);

// The registration number as the law writes it: at least seven digits (art. 57), "0000042".
std::string formatNumber(std::int64_t number);

// The AOO of an ente: its IPA codes and the register's code as the segnatura names them.
struct Aoo {
  std::string ente;
  std::string aoo_code;       // IPA code of the AOO, e.g. "AOO_CR" ([A-Za-z0-9_.-])
  std::string aoo_name;       // "Area organizzativa omogenea del Comune di Cremona"
  std::string registry_code;  // the register's code, e.g. "PG" (1-16 of [A-Za-z0-9_.-])
  std::string pec;            // the AOO's PEC address (its digital domicile); empty: not set
  std::string updated_at, updated_by;
  std::string configured_on;  // the Rome day of the first configuration: daily registers start
};
// `pec` is null when not set.
nlohmann::json toJson(const Aoo& a);
// `pec` is optional: absent, null or empty leaves it unset; otherwise it must be an e-mail address.
Result<Aoo> aooFromJson(const std::string& ente, const nlohmann::json& body);

// A class of the titolario.
struct ProtocolClass {
  std::string code;  // "6.3"
  std::string description;
  bool active = true;
};
nlohmann::json toJson(const ProtocolClass& c);
Result<ProtocolClass> classFromJson(const nlohmann::json& body);

// A fascicolo.
struct Folder {
  std::string ente, code, subject, class_code, opened_on;
  std::optional<std::string> closed_on;
};
nlohmann::json toJson(const Folder& f);
Result<Folder> folderFromJson(const std::string& ente, const nlohmann::json& body);

// An annulment request (art. 54): the reason and the act that authorised it.
struct Annulment {
  std::string reason, authorisation;
};
Result<Annulment> annulmentFromJson(const nlohmann::json& body);

}  // namespace cst::protocol
