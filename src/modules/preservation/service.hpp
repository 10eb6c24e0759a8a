#pragma once
// The preservation service's use cases: ingest of a SIP (validation, receipt, AIP with its SInCRO
// index, CAdES signature and RFC 3161 time-stamp, kept in every copy) and reading what was kept.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "common/result.hpp"
#include "copies.hpp"
#include "enti/enti.hpp"
#include "format.hpp"
#include "model.hpp"
#include "search.hpp"
#include "sign/timestamp.hpp"
#include "xml/signature.hpp"

namespace cst {
class Platform;
}

namespace cst::preservation {

// A file of a SIP as received: on disk, hashed as it arrived.
struct OfferedFile {
  std::string name;
  std::string content_type;
  std::filesystem::path file;
  std::string sha256;
  std::int64_t size = 0;
};

struct Sip {
  Json envelope;                   // the "metadata" part, parsed (any JSON: checked here)
  std::vector<OfferedFile> files;  // removed by ingest, whatever the outcome
  std::string source = "api";
  std::string source_ref;  // a module's object, ingested once
};

class Service {
 public:
  explicit Service(Platform& p);
  // Checks `sip` whole and issues its receipt: accepted (with the AIP kept in every copy) or
  // rejected (naming every problem; nothing of the SIP is kept). Errors only when the service
  // cannot decide: kUnavailable (antivirus, storage, TSA), kNotFound/kForbidden for the ente.
  Result<Receipt> ingest(Sip sip, const audit::Entry& who);

  Result<Receipt> receipt(const std::string& id, const auth::EnteScope& scope);
  Result<std::string> receiptDocument(const std::string& id, const auth::EnteScope& scope);
  // A page of the ente's receipts, newest first; `next` set when more follow.
  struct ReceiptPage {
    std::vector<Receipt> items;
    std::optional<PageCursor> next;
  };
  Result<ReceiptPage> receipts(const std::string& ente, int limit,
                               const std::optional<PageCursor>& cursor);
  Result<Aip> aip(const std::string& id, const auth::EnteScope& scope);
  Result<std::vector<Aip>> aips(const std::string& ente, int limit);
  // The AIP's DIP (dip.hpp) written to a file of the copies' temp dir, to stream and remove;
  // each download in the audit log.
  Result<std::filesystem::path> dip(const std::string& id, const auth::EnteScope& scope,
                                    const audit::Entry& who);
  // The ente's AIPs matching `q`, newest first, one page (search.hpp; search.cpp). The first
  // search of the process indexes the metadata of AIPs kept before the index existed.
  Result<AipPage> searchAips(const AipQuery& q);
  // The AIP's file at `position` (0-based, in its files' order) with its bytes from the first
  // intact copy, the download in the audit log. kNotFound naming "position" beyond the last.
  Result<std::pair<ObjectFacts, std::filesystem::path>> file(const std::string& id,
                                                             std::size_t position,
                                                             const auth::EnteScope& scope,
                                                             const audit::Entry& who);
  // Volumes and ingest outcomes of the enti in `scope` (only `ente` when given).
  Result<VolumesSummary> summary(const auth::EnteScope& scope,
                                 const std::optional<std::string>& ente);

  const Copies& copies() const { return copies_; }
  Copies& copies() { return copies_; }
  // The formats accepted for preservation (or the configuration's error).
  const Result<FormatPolicy>& formats() const { return formats_; }
  // The seal that signs receipts and indexes, and the TSA: made or loaded at first use.
  Result<xml::SealKey> seal();
  Result<sign::TimeStampAuthority*> tsa();

 private:
  // What check() found: the envelope, each offered file's facts (in the order of sip->files)
  // and every problem.
  struct Checked {
    Sip* sip = nullptr;
    SipEnvelope envelope;
    std::vector<ObjectFacts> objects;
    std::vector<MetadataProblem> problems;
    enti::Ente ente;
    std::string ente_name;
  };
  Checked check(Sip& sip, const audit::Entry& who);
  // The receipt of `c`, signed and kept in the copies: accepted when `aip_id` is set.
  Result<Receipt> issueReceipt(const Checked& c, const audit::Entry& who, const std::string& aip_id,
                               const std::string& at);
  Result<Receipt> reject(Checked& c, const audit::Entry& who);
  Result<Receipt> accept(Checked& c, const audit::Entry& who);
  Result<std::optional<Receipt>> alreadyIngested(const Sip& sip);
  // The AIP in scope whose content is still kept (kConflict once a scarto destroyed it).
  Result<Aip> liveAip(const std::string& id, const auth::EnteScope& scope);
  // Indexes the AIPs of migrations/0005_search.sql's pending list, once per process.
  Status indexEarlierAips();

  Platform& p_;
  Copies copies_;
  // [preservation] formats, or Allegato 2's defaults; a list naming unknown ids is a
  // configuration error that stops every ingest (formats_ holds the error) rather than accept or
  // refuse formats nobody meant to.
  Result<FormatPolicy> formats_;
  std::mutex keys_mutex_;
  std::optional<xml::SealKey> seal_;
  std::unique_ptr<sign::TimeStampAuthority> tsa_;
  std::mutex search_index_mutex_;
  bool earlier_indexed_ = false;  // guarded by search_index_mutex_
};

}  // namespace cst::preservation
