#include "uploads/uploads.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <future>

#include "common/crypto.hpp"

namespace cst::uploads {

using nlohmann::json;

json toJson(const Upload& u) {
  return {{"id", u.id},
          {"ente", u.ente},
          {"owner_id", u.owner_id ? nlohmann::json(u.owner_id) : nlohmann::json()},
          {"filename", u.filename},
          {"content_type", u.content_type},
          {"sha256", u.sha256},
          {"size", u.size},
          {"created_at", u.created_at},
          {"scan", toString(u.scan)}};
}

Status checkFilename(const std::string& name) {
  if (name.empty() || name.size() > 255)
    return failField("filename", "nome file obbligatorio (massimo 255 caratteri)");
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name == "." ||
      name == ".." || name.find('\0') != std::string::npos)
    return failField("filename", "il nome file non può contenere percorsi");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return failField("filename", "caratteri di controllo non ammessi");
  return {};
}

std::string_view toString(ScanState s) {
  switch (s) {
    case ScanState::kClean:
      return "clean";
    case ScanState::kNotScanned:
      return "not_scanned";
    case ScanState::kReleased:
      return "released";
  }
  return "clean";
}

namespace {
ScanState scanStateOf(const std::string& text) {
  if (text == "not_scanned") return ScanState::kNotScanned;
  if (text == "released") return ScanState::kReleased;
  return ScanState::kClean;
}

// Deletes the temp file of an upload unless it was handed on.
struct TempFile {
  std::filesystem::path path;
  ~TempFile() {
    if (path.empty()) return;
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};
}  // namespace

Result<OversizePolicy> parseOversizePolicy(std::string_view text) {
  if (text == "reject") return OversizePolicy::kReject;
  if (text == "flag") return OversizePolicy::kFlag;
  return failField("antivirus.oversize", "must be \"reject\" or \"flag\"");
}

std::string_view toString(OversizePolicy p) {
  return p == OversizePolicy::kFlag ? "flag" : "reject";
}

Uploads::Uploads(db::Database& db, blob::BlobStore& blobs, std::shared_ptr<scan::Scanner> scanner,
                 const Clock& clock)
    : db_(db), blobs_(blobs), scanner_(std::move(scanner)), clock_(clock) {}

Result<Upload> Uploads::accept(const NewUpload& in, const audit::Entry& who) {
  // The file is made durable on disk, and its shard directory created, while clamd scans it:
  // the blob store's own fsyncs, after a clean verdict, then have little left to write (they
  // are the largest part of a kept upload's wait, docs/PERFORMANCE.md). A refused file is
  // deleted anyway (an empty shard directory may stay); the open descriptor keeps the sync safe
  // if that happens first.
  // Content the store already holds is not written again, so it is not synced either.
  const bool known = !in.sha256.empty() && blobs_.exists(in.sha256);
  const int fd = known ? -1 : ::open(in.temp_file.c_str(), O_RDONLY | O_CLOEXEC);
  auto synced = std::async(std::launch::async, [this, fd, &in] {
    if (fd < 0) return;
    (void)::fsync(fd);
    ::close(fd);
    if (!in.sha256.empty()) blobs_.prepare(in.sha256);
  });
  auto screened = screen(in, who);
  synced.wait();
  if (!screened) return tl::unexpected(screened.error());
  return store(*screened, who);
}

Result<Screened> Uploads::screen(const NewUpload& in, const audit::Entry& who) {
  TempFile temp{in.temp_file};
  if (auto s = checkFilename(in.filename); !s) return tl::unexpected(s.error());
  if (!scanner_)
    return fail(ErrorCode::kUnavailable, "antivirus non disponibile: caricamento rifiutato");
  const scan::ScanVerdict verdict = scanner_->scanFile(in.temp_file);
  if (verdict.infected()) return tl::unexpected(refuseInfected(in, verdict, who).error());
  if (verdict.failure == scan::ScanVerdict::Failure::kTooLarge &&
      oversize_ == OversizePolicy::kFlag) {
    temp.path.clear();
    return Screened{in, ScanState::kNotScanned};
  }
  if (auto s = scan::verdictToStatus(verdict); !s) return tl::unexpected(s.error());
  temp.path.clear();
  return Screened{in, ScanState::kClean};
}

Status Uploads::refuseInfected(const NewUpload& in, const scan::ScanVerdict& v,
                               const audit::Entry& who) {
  std::optional<std::string> held;
  if (quarantine_) {
    auto id = quarantine_->hold(
        {in.ente, in.owner_id, in.source, in.filename, in.content_type, v.signature, in.temp_file},
        who);
    if (id)
      held = *id;
    else
      spdlog::error("quarantine of {} ({}) failed: {}", in.filename, v.signature,
                    id.error().detail);
  }
  audit::Entry e = who;
  e.ente = in.ente;
  e.action = "upload.reject";
  e.object_type = "upload";
  e.object_id = in.filename;
  e.outcome = "denied";
  e.detail = {{"signature", v.signature}, {"filename", in.filename}, {"source", in.source}};
  if (held) e.detail["quarantine_id"] = *held;
  (void)audit::appendAlone(db_, e, clock_.now());
  Error err = scan::verdictToStatus(v).error();
  err.detail = std::string(held ? "file infetto, messo in quarantena dall'antivirus: "
                                : "file infetto, rifiutato dall'antivirus: ") +
               v.signature;
  err.fields.push_back({"file", "firma rilevata: " + v.signature});
  return tl::unexpected(err);
}

Result<Upload> Uploads::store(const Screened& screened, const audit::Entry& who) {
  const NewUpload& in = screened.in;
  TempFile temp{in.temp_file};
  auto stored = blobs_.adoptFile(in.temp_file, in.sha256);
  if (!stored) return tl::unexpected(stored.error());
  Upload u{randomToken(16),
           in.ente,
           in.owner_id,
           in.filename,
           in.content_type,
           stored->sha256,
           static_cast<std::int64_t>(stored->size),
           formatTimestamp(clock_.now()),
           screened.scan};
  auto s = db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto r = tx.exec(
        "INSERT INTO uploads (id, ente, owner_id, filename, content_type, sha256, size, "
        "created_at, scan) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        {u.id, u.ente, u.owner_id ? db::Value{u.owner_id} : db::null(), u.filename, u.content_type,
         u.sha256, u.size, u.created_at, std::string(toString(u.scan))});
    if (!r) return tl::unexpected(r.error());
    audit::Entry e = who;
    e.ente = u.ente;
    e.action = "upload.create";
    e.object_type = "upload";
    e.object_id = u.id;
    e.detail = {{"filename", u.filename},
                {"sha256", u.sha256},
                {"size", u.size},
                {"scan", toString(u.scan)},
                {"source", in.source}};
    return audit::append(tx, e, clock_.now());
  });
  if (!s) return tl::unexpected(s.error());
  return u;
}

Result<Upload> Uploads::get(const std::string& id) {
  auto rows = db_.query(
      "SELECT id, ente, owner_id, filename, content_type, sha256, size, created_at, scan "
      "FROM uploads WHERE id = ?",
      {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "file non trovato");
  const db::Row& r = rows->front();
  return Upload{r.text(0),    r.text(1), r.optInteger(2).value_or(0),
                r.text(3),    r.text(4), r.text(5),
                r.integer(6), r.text(7), scanStateOf(r.text(8))};
}

Status Uploads::recordRead(const Upload& u, const audit::Entry& who) {
  audit::Entry e = who;
  e.ente = u.ente;
  e.action = "upload.read";
  e.object_type = "upload";
  e.object_id = u.id;
  return audit::appendAlone(db_, e, clock_.now());
}

}  // namespace cst::uploads
