#pragma once
// The antivirus service's use cases: the quarantine (core's uploads hand it every infected file),
// scanning as a service, the engine's status and freshness alarm, the endpoint console and its
// watch job. Validation, transactions, audit and notifications are here; no HTTP.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "blob/blob_store.hpp"
#include "model.hpp"
#include "store.hpp"
#include "uploads/uploads.hpp"

namespace cst {
class Platform;
}

namespace cst::antivirus {

// What a caller may see: the enti of their grants for the action (all for CST roles).
struct Visibility {
  bool all_enti = false;
  std::set<std::string> enti;
  bool sees(const std::string& ente) const { return all_enti || enti.count(ente) > 0; }
};

// A page request of a list: the ente asked for (?ente=), the cursor and the size.
struct ListQuery {
  std::optional<std::string> ente;
  std::optional<std::int64_t> before;
  int limit = 50;
};

struct ScanRequest {
  std::string ente;
  std::string filename;
  std::filesystem::path file;  // the request body on disk; deleted by the caller
  std::string sha256;          // of `file`, when taken as it arrived; empty: hashed here
};

struct EngineStatus {
  bool reachable = false;
  std::string endpoint;
  std::optional<std::string> engine_version;
  std::optional<long> signature_version;
  std::optional<TimePoint> signature_date;
  Freshness signatures = Freshness::kUnknown;
  int max_age_hours = 0;
  std::uint64_t max_stream_bytes = 0;
  uploads::OversizePolicy oversize = uploads::OversizePolicy::kReject;
  nlohmann::json supervisor;  // null when clamd is an external one
  std::optional<std::string> error;
  TimePoint checked_at{};
};
nlohmann::json toJson(const EngineStatus& s);

struct EnteSummary {
  std::string ente, name;
  std::int64_t protected_ = 0, outdated = 0, silent = 0;
};

struct AgentToken {
  std::string token;
  std::int64_t user_id = 0;
  std::string username;
};

// What one run of the watch job did.
struct WatchRun {
  std::string engine_alert;  // "", "down", "stale" after the run
  int raised = 0;            // conditions newly reported
  int recovered = 0;
};

// Thread safety: every method may be called from any thread.
class Service final : public uploads::Quarantine {
 public:
  explicit Service(Platform& p);

  // uploads::Quarantine: moves the file into the quarantine store, records it, tells the ente's
  // referents (mail) and the service desk (a ticket), records the event.
  Result<std::string> hold(const uploads::InfectedUpload& u, const audit::Entry& who) override;

  Result<QuarantineRecord> quarantined(std::int64_t id, const Visibility& v);
  Result<std::vector<QuarantineRecord>> quarantine(const Visibility& v, const ListQuery& q,
                                                   std::optional<QuarantineStatus> status);
  // The stored content of a held record (audited read); kNotFound once decided.
  Result<std::filesystem::path> quarantineContent(const QuarantineRecord& r,
                                                  const audit::Entry& who);
  // A false positive becomes an ordinary upload of its ente and owner (scan state "released").
  Result<QuarantineRecord> release(std::int64_t id, const std::string& reason,
                                   const audit::Entry& who);
  Result<QuarantineRecord> discard(std::int64_t id, const std::string& reason,
                                   const audit::Entry& who);

  // Scans the file for the ente and records the request. kUnavailable without an engine, kTooLarge
  // over the stream limit when the oversize policy is kReject.
  Result<ScanRecord> scan(const ScanRequest& r, const audit::Entry& who);
  Result<std::vector<ScanRecord>> scans(const Visibility& v, const ListQuery& q,
                                        std::optional<Verdict> verdict);

  EngineStatus engine();
  Result<Settings> settings();
  Result<Settings> updateSettings(const nlohmann::json& body, const audit::Entry& who);
  Result<std::vector<Event>> events(const Visibility& v, const ListQuery& q);

  Result<Endpoint> report(const std::string& ente, const EndpointReport& r,
                          const audit::Entry& who);
  Result<std::vector<Endpoint>> endpoints(const Visibility& v, const ListQuery& q,
                                          std::optional<EndpointStatus> status);
  Result<std::vector<EnteSummary>> summary(const Visibility& v);
  Status retire(std::int64_t id, const Visibility& v, const audit::Entry& who);
  // A machine identity (role agent on `ente`) and its token, shown once.
  Result<AgentToken> createAgent(const std::string& ente, const std::string& name,
                                 const auth::Principal& actor, const audit::Entry& who);

  // The job: the engine (down, stale) and every endpoint (outdated, silent) against what was last
  // reported; a change raises a ticket or notes the recovery, and records an event.
  Result<WatchRun> watch();

  TimePoint now() const;

 private:
  Status record(db::Tx& tx, Event e);
  Result<std::optional<std::int64_t>> raiseTicket(const std::string& ente, const std::string& key,
                                                  const std::string& subject,
                                                  const std::string& detail, int urgency);
  Result<std::optional<std::int64_t>> recoverTicket(const std::string& ente, const std::string& key,
                                                    const std::string& note);
  Status notifyReferents(const QuarantineRecord& r);
  Result<QuarantineRecord> decide(std::int64_t id, QuarantineStatus to, const std::string& reason,
                                  const audit::Entry& who);
  Result<std::string> centreEnte();
  Status watchEndpoint(const Endpoint& e, EndpointStatus now_status, WatchRun& run);
  store::Scope scopeOf(const Visibility& v, const ListQuery& q) const;

  Platform& p_;
  blob::BlobStore held_;  // <data>/quarantine: only this service reads it
  std::mutex centre_mu_;
  std::optional<std::string> centre_;
};

}  // namespace cst::antivirus
