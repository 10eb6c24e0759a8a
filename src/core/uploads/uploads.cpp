#include "uploads/uploads.hpp"

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
          {"created_at", u.created_at}};
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

Uploads::Uploads(db::Database& db, blob::BlobStore& blobs, std::shared_ptr<scan::Scanner> scanner,
                 const Clock& clock)
    : db_(db), blobs_(blobs), scanner_(std::move(scanner)), clock_(clock) {}

Result<Upload> Uploads::accept(const NewUpload& in, const audit::Entry& who) {
  struct Cleanup {
    const std::filesystem::path& p;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  } cleanup{in.temp_file};
  if (auto s = checkFilename(in.filename); !s) return tl::unexpected(s.error());
  if (!scanner_)
    return fail(ErrorCode::kUnavailable, "antivirus non disponibile: caricamento rifiutato");
  const scan::ScanVerdict verdict = scanner_->scanFile(in.temp_file);
  if (auto s = scan::verdictToStatus(verdict); !s) {
    if (verdict.infected()) {
      audit::Entry e = who;
      e.ente = in.ente;
      e.action = "upload.reject";
      e.object_type = "upload";
      e.object_id = in.filename;
      e.outcome = "denied";
      e.detail = {{"signature", verdict.signature}, {"filename", in.filename}};
      (void)audit::appendAlone(db_, e, clock_.now());
      Error err = s.error();
      err.detail = "file infetto, rifiutato dall'antivirus: " + verdict.signature;
      err.fields.push_back({"file", "firma rilevata: " + verdict.signature});
      return tl::unexpected(err);
    }
    return tl::unexpected(s.error());
  }
  auto stored = blobs_.adoptFile(in.temp_file);
  if (!stored) return tl::unexpected(stored.error());
  Upload u{randomToken(16),
           in.ente,
           in.owner_id,
           in.filename,
           in.content_type,
           stored->sha256,
           static_cast<std::int64_t>(stored->size),
           formatTimestamp(clock_.now())};
  auto s = db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    auto r = tx.exec(
        "INSERT INTO uploads (id, ente, owner_id, filename, content_type, sha256, size, "
        "created_at) "
        "VALUES (?,?,?,?,?,?,?,?)",
        {u.id, u.ente, u.owner_id ? db::Value{u.owner_id} : db::null(), u.filename, u.content_type,
         u.sha256, u.size, u.created_at});
    if (!r) return tl::unexpected(r.error());
    audit::Entry e = who;
    e.ente = u.ente;
    e.action = "upload.create";
    e.object_type = "upload";
    e.object_id = u.id;
    e.detail = {{"filename", u.filename}, {"sha256", u.sha256}, {"size", u.size}};
    return audit::append(tx, e, clock_.now());
  });
  if (!s) return tl::unexpected(s.error());
  return u;
}

Result<Upload> Uploads::get(const std::string& id) {
  auto rows = db_.query(
      "SELECT id, ente, owner_id, filename, content_type, sha256, size, created_at FROM uploads "
      "WHERE id = ?",
      {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "file non trovato");
  const db::Row& r = rows->front();
  return Upload{r.text(0),    r.text(1), r.optInteger(2).value_or(0),
                r.text(3),    r.text(4), r.text(5),
                r.integer(6), r.text(7)};
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
