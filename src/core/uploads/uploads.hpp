#pragma once
// Uploaded files of the platform: every upload is scanned by the antivirus before anything is
// stored (fail closed: no scanner, no upload), then kept in the blob store and recorded with its
// ente and owner. Modules attach uploads to their objects by id.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit.hpp"
#include "blob/blob_store.hpp"
#include "common/clock.hpp"
#include "db/db.hpp"
#include "scan/scanner.hpp"

namespace cst::uploads {

// What the antivirus said of a stored upload: kClean (scanned whole, nothing found), kNotScanned
// (over the scanner's size limit and accepted because the oversize policy is kFlag), kReleased
// (found infected, then released from quarantine by an administrator as a false positive).
enum class ScanState { kClean, kNotScanned, kReleased };
std::string_view toString(ScanState s);

struct Upload {
  std::string id;
  std::string ente;
  std::int64_t owner_id = 0;  // 0: received by the platform itself (e-mail), no user owns it
  std::string filename;
  std::string content_type;
  std::string sha256;
  std::int64_t size = 0;
  std::string created_at;
  ScanState scan = ScanState::kClean;
};
nlohmann::json toJson(const Upload& u);

struct NewUpload {
  std::string ente;
  std::int64_t owner_id = 0;  // 0: no owner (see Upload)
  std::string filename;
  std::string content_type;
  std::filesystem::path temp_file;  // consumed: moved into the store, the quarantine, or deleted
  std::string source = "uploads";   // the upload path, for the quarantine: "helpdesk.mail-in"
  // SHA-256 (hex) of temp_file when the caller took it as the file arrived (http::Request's
  // body_sha256); empty: the store hashes the file.
  std::string sha256;
};

// An infected upload handed to the quarantine before its refusal.
struct InfectedUpload {
  std::string ente;
  std::int64_t owner_id = 0;
  std::string source;
  std::string filename;
  std::string content_type;
  std::string signature;
  std::filesystem::path file;  // the quarantine takes it (moves it away)
};

// Keeps infected uploads for the administrators and tells who must know. The antivirus module
// provides it; without one an infected upload is refused and only audited.
class Quarantine {
 public:
  virtual ~Quarantine() = default;
  // The id of the quarantine record. An error leaves the refusal as it is (it is logged).
  virtual Result<std::string> hold(const InfectedUpload& upload, const audit::Entry& who) = 0;
};

// A file over the scanner's size limit is never called clean: kReject refuses it (413), kFlag
// stores it marked ScanState::kNotScanned.
enum class OversizePolicy { kReject, kFlag };
Result<OversizePolicy> parseOversizePolicy(std::string_view text);
std::string_view toString(OversizePolicy p);

// An upload that passed the antivirus and waits to be stored (Uploads::screen).
struct Screened {
  NewUpload in;
  ScanState scan = ScanState::kClean;
};

// Thread safety: set the scanner, the quarantine and the policy before the server serves; the
// other methods may then be called from any thread.
class Uploads {
 public:
  // `scanner` may be null (no antivirus reachable): every upload is then refused with 503.
  Uploads(db::Database& db, blob::BlobStore& blobs, std::shared_ptr<scan::Scanner> scanner,
          const Clock& clock);
  void setScanner(std::shared_ptr<scan::Scanner> scanner) { scanner_ = std::move(scanner); }
  void setQuarantine(std::shared_ptr<Quarantine> q) { quarantine_ = std::move(q); }
  void setOversizePolicy(OversizePolicy p) { oversize_ = p; }
  OversizePolicy oversizePolicy() const { return oversize_; }

  // screen() then store().
  Result<Upload> accept(const NewUpload& in, const audit::Entry& who);
  // The antivirus verdict on `in` (its file name checked first). Refused: infected (422, the
  // file handed to the quarantine), not scanned whole (422), too large (413 unless kFlag),
  // engine unavailable (503); the temp file is then gone. For a caller that must scan several
  // files before storing any; it deletes a screened file it does not store.
  Result<Screened> screen(const NewUpload& in, const audit::Entry& who);
  Result<Upload> store(const Screened& s, const audit::Entry& who);
  Result<Upload> get(const std::string& id);
  std::filesystem::path contentPath(const Upload& u) const { return blobs_.pathOf(u.sha256); }
  // Records a read of the content (sensitive reads are audited).
  Status recordRead(const Upload& u, const audit::Entry& who);

 private:
  Status refuseInfected(const NewUpload& in, const scan::ScanVerdict& v, const audit::Entry& who);

  db::Database& db_;
  blob::BlobStore& blobs_;
  std::shared_ptr<scan::Scanner> scanner_;
  std::shared_ptr<Quarantine> quarantine_;
  OversizePolicy oversize_ = OversizePolicy::kReject;
  const Clock& clock_;
};

Status checkFilename(const std::string& name);

}  // namespace cst::uploads
