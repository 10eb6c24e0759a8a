#pragma once
// The protocol register's use cases: the AOO's configuration and titolario, fascicoli, the
// registration of documents (number, segnatura and record in one transaction), search, and the
// annulment. Validation, transactions and audit are here; no HTTP.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "model.hpp"
#include "protocol/api.hpp"
#include "store.hpp"
#include "uploads/uploads.hpp"
#include "xml/signature.hpp"

namespace cst {
class Platform;
}

namespace cst::protocol {

// Thread safety: every method may be called from any thread. It is also the module's published
// interface (include/protocol/api.hpp).
class Service final : public ProtocolRegister {
 public:
  explicit Service(Platform& p);

  // ---- Configuration ----
  Result<std::optional<Aoo>> aoo(const std::string& ente);
  // kBadInput naming the fields; audited ("protocol.aoo.update").
  Result<Aoo> saveAoo(const std::string& ente, const nlohmann::json& body, const audit::Entry& who);
  Result<std::vector<ProtocolClass>> classes(const std::string& ente);
  // kConflict (field code) for a code the ente has; audited ("protocol.class.create").
  Result<ProtocolClass> addClass(const std::string& ente, const nlohmann::json& body,
                                 const audit::Entry& who);
  Result<std::vector<Folder>> folders(const std::string& ente);
  // The class must exist and be active; audited ("protocol.folder.create").
  Result<Folder> openFolder(const std::string& ente, const nlohmann::json& body,
                            const audit::Entry& who);

  // ---- Registrations ----

  // Registers `in` for its ente: the next number of the ente's register for the current year
  // (Europe/Rome), the signed segnatura, the record and its audit entry, in one transaction; a
  // registration that fails leaves no number used. The documents are uploads of the same ente
  // that the antivirus found clean (staff register any of their ente's uploads). kRuleViolated
  // (field ente) when the ente's AOO is not configured; kBadInput naming the class, folder or
  // document that is unknown or unusable. Also ProtocolRegister's, for other modules.
  Result<Registration> registerDocument(const NewRegistration& in,
                                        const audit::Entry& who) override;
  // kNotFound unless the registration's ente is in `scope`.
  Result<Registration> registration(std::int64_t id, const auth::EnteScope& scope);

  // ProtocolRegister: for other modules, which check their own permissions.
  Result<Registration> registration(std::int64_t id) override;
  void subscribe(Listener listener) override;
  Result<std::vector<DailyRegisterProduced>> dailyRegistersAfter(std::int64_t sequence,
                                                                 int limit) override;

  // ---- Daily registers (service_daily.cpp) ----

  // Makes every missing daily register up to yesterday (Europe/Rome) of every ente with an AOO,
  // from the day it was configured: the PDF and the JSON into the blob store, the row, an audit
  // entry, then the subscribers are told. Returns how many were made. Safe with several
  // instances (one row per ente and day; the loser's files are the same content).
  Result<int> produceDailyRegisters();
  // The register of `ente` for `day`, made now (the job's unit of work).
  Result<DailyRegisterProduced> produceDailyRegister(const std::string& ente,
                                                     const std::string& day);
  struct DailyRegisters {
    std::vector<DailyRegisterProduced> items;
    std::optional<std::int64_t> next;
    std::vector<std::string> missing;  // past days since configuration without a register
  };
  Result<DailyRegisters> dailyRegisters(const std::string& ente, std::optional<std::int64_t> before,
                                        int limit);
  // kNotFound unless its ente is in `scope`.
  Result<DailyRegisterProduced> dailyRegister(std::int64_t id, const auth::EnteScope& scope);
  Result<std::string> segnatura(std::int64_t id, const auth::EnteScope& scope);
  // The caller has restricted `filter` to the enti it may see.
  Result<std::vector<Registration>> search(const store::Filter& filter);
  // Art. 54: records the reason, the authorising act, who and when; the registration stays
  // readable with everything it had. kConflict when already annulled. Every attempt is audited
  // ("protocol.registration.annul", outcome denied when refused).
  Result<Registration> annul(std::int64_t id, const nlohmann::json& body,
                             const auth::EnteScope& scope, const audit::Entry& who);
  // A change of a registered record is refused (art. 53: only annulment), and the attempt is
  // audited ("protocol.registration.modify", denied). kNotFound outside `scope`.
  Status refuseChange(std::int64_t id, const auth::EnteScope& scope, const audit::Entry& who);

 private:
  void publish(const DailyRegisterProduced& d);
  Result<Registration> registerOnce(const NewRegistration& in, const audit::Entry& who,
                                    const std::vector<uploads::Upload>& uploads);

  // The platform's seal (xml::loadOrCreateSeal), loaded at first use.
  Result<xml::SealKey> seal();

  Platform& p_;
  std::mutex seal_mutex_;
  std::optional<xml::SealKey> seal_;
  std::mutex listeners_mutex_;
  std::vector<Listener> listeners_;
};

// The year of an instant in Europe/Rome: the register's numbering restarts on 1 January there.
int romeYear(TimePoint t);
// The day of an instant in Europe/Rome, YYYY-MM-DD.
std::string romeDay(TimePoint t);

}  // namespace cst::protocol
