#pragma once
// Uploaded files of the platform: every upload is scanned by the antivirus before anything is
// stored (fail closed: no scanner, no upload), then kept in the blob store and recorded with its
// ente and owner. Modules attach uploads to their objects by id.
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "audit/audit.hpp"
#include "blob/blob_store.hpp"
#include "common/clock.hpp"
#include "db/db.hpp"
#include "scan/scanner.hpp"

namespace cst::uploads {

struct Upload {
  std::string id;
  std::string ente;
  std::int64_t owner_id = 0;  // 0: received by the platform itself (e-mail), no user owns it
  std::string filename;
  std::string content_type;
  std::string sha256;
  std::int64_t size = 0;
  std::string created_at;
};
nlohmann::json toJson(const Upload& u);

struct NewUpload {
  std::string ente;
  std::int64_t owner_id = 0;  // 0: no owner (see Upload)
  std::string filename;
  std::string content_type;
  std::filesystem::path temp_file;  // consumed: moved into the store or deleted
};

class Uploads {
 public:
  // `scanner` may be null (no antivirus reachable): every upload is then refused with 503.
  Uploads(db::Database& db, blob::BlobStore& blobs, std::shared_ptr<scan::Scanner> scanner,
          const Clock& clock);
  Result<Upload> accept(const NewUpload& in, const audit::Entry& who);
  Result<Upload> get(const std::string& id);
  std::filesystem::path contentPath(const Upload& u) const { return blobs_.pathOf(u.sha256); }
  // Records a read of the content (sensitive reads are audited).
  Status recordRead(const Upload& u, const audit::Entry& who);

 private:
  db::Database& db_;
  blob::BlobStore& blobs_;
  std::shared_ptr<scan::Scanner> scanner_;
  const Clock& clock_;
};

Status checkFilename(const std::string& name);

}  // namespace cst::uploads
