#include "service.hpp"

#include <spdlog/spdlog.h>

#include <fstream>

#include "common/crypto.hpp"
#include "dip.hpp"
#include "platform/platform.hpp"
#include "receipt.hpp"
#include "store.hpp"

namespace cst::preservation {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> copyRoots(const Config& c) {
  std::vector<fs::path> roots;
  for (const std::string& r : c.preservation.copies) roots.emplace_back(r);
  if (roots.empty())
    roots = {c.data_dir / "conservazione" / "copia-1", c.data_dir / "conservazione" / "copia-2"};
  return roots;
}

struct RemoveFiles {
  std::vector<OfferedFile>* files;
  ~RemoveFiles() {
    std::error_code ec;
    for (const OfferedFile& f : *files) fs::remove(f.file, ec);
  }
};

}  // namespace

Service::Service(Platform& p)
    : p_(p),
      copies_(copyRoots(p.config), p.config.max_blob_bytes),
      formats_(p.config.preservation.formats.empty()
                   ? Result<FormatPolicy>(FormatPolicy::defaults())
                   : FormatPolicy::fromIds(p.config.preservation.formats)) {
  if (!formats_)
    spdlog::error("[preservation] formats: {}: nothing will be accepted for preservation",
                  formats_.error().detail);
}

Result<xml::SealKey> Service::seal() {
  std::lock_guard lock(keys_mutex_);
  if (!seal_) {
    auto loaded = xml::loadOrCreateSeal(p_.config.data_dir / "keys" / "conservazione",
                                        "Servizio di conservazione - Centro Servizi Territoriale");
    if (!loaded) return tl::unexpected(loaded.error());
    seal_ = std::move(*loaded);
  }
  return *seal_;
}

Result<sign::TimeStampAuthority*> Service::tsa() {
  std::lock_guard lock(keys_mutex_);
  if (!tsa_) {
    const auto& c = p_.config.preservation;
    if (!c.tsa_url.empty()) {
      std::ifstream in(c.tsa_certificate);
      std::string pem((std::istreambuf_iterator<char>(in)), {});
      if (pem.empty())
        return fail(ErrorCode::kUnavailable,
                    "preservation.tsa_certificate: certificato della TSA non leggibile: " +
                        c.tsa_certificate);
      tsa_ = sign::httpTsa(c.tsa_url, pem, c.tsa_username, c.tsa_password);
    } else {
      auto local = sign::openLocalTsa(p_.config.data_dir / "keys" / "tsa",
                                      "TSA locale del CST (non qualificata)");
      if (!local) return tl::unexpected(local.error());
      tsa_ = std::move(*local);
    }
  }
  return tsa_.get();
}

Service::Checked Service::check(Sip& sip, const audit::Entry& who) {
  Checked c;
  c.sip = &sip;
  c.envelope = parseEnvelope(sip.envelope, c.problems);
  if (c.envelope.kind)
    for (MetadataProblem m : checkMetadata(*c.envelope.kind, c.envelope.metadati)) {
      m.field = m.field.empty() ? "metadati" : "metadati." + m.field;
      c.problems.push_back(std::move(m));
    }

  // Every offered file is identified, scanned and matched with its declaration.
  std::vector<bool> declared_seen(c.envelope.documents.size(), false);
  for (OfferedFile& f : sip.files) {
    ObjectFacts o{f.name, "", f.sha256, f.size, "unknown", f.content_type, ""};
    std::size_t i = 0;
    while (i < c.envelope.documents.size() && c.envelope.documents[i].name != f.name) ++i;
    const std::string at = "documenti[" + std::to_string(i) + "]";
    if (i == c.envelope.documents.size()) {
      c.problems.push_back({"file:" + f.name, "file non elencato tra i documenti"});
    } else {
      declared_seen[i] = true;
      const DeclaredDocument& d = c.envelope.documents[i];
      o.role = d.primary ? "principale" : "allegato";
      if (!d.sha256.empty() && d.sha256 != f.sha256)
        c.problems.push_back({at + ".impronta", "impronta dichiarata " + d.sha256 +
                                                    " diversa da quella calcolata " + f.sha256});
      if (d.primary) {
        const std::string in_metadata = declaredSha256(c.envelope.metadati);
        if (!in_metadata.empty() && in_metadata != f.sha256)
          c.problems.push_back(
              {"metadati.IdDoc.ImprontaCrittograficaDelDocumento.Impronta",
               "diversa dall'impronta calcolata del documento principale " + f.sha256});
      }
    }
    if (auto judged = judge(f.file, *formats_); judged) {
      o.format = judged->id;
      o.mime = judged->format.mime;
      if (!judged->accepted)
        c.problems.push_back(
            {i < c.envelope.documents.size() ? at : "file:" + f.name, judged->problem});
    }
    c.objects.push_back(o);
  }
  for (std::size_t i = 0; i < declared_seen.size(); ++i)
    if (!declared_seen[i] && !c.envelope.documents[i].name.empty())
      c.problems.push_back({"documenti[" + std::to_string(i) + "].nome",
                            "file non ricevuto: " + c.envelope.documents[i].name});
  (void)who;
  return c;
}

Result<std::optional<Receipt>> Service::alreadyIngested(const Sip& sip) {
  if (sip.source_ref.empty()) return std::optional<Receipt>{};
  return p_.db->transact<std::optional<Receipt>>(db::TxMode::kRead, [&](db::Tx& tx) {
    return store::acceptedFrom(tx, sip.source, sip.source_ref);
  });
}

Result<Receipt> Service::ingest(Sip sip, const audit::Entry& who) {
  RemoveFiles cleanup{&sip.files};
  if (!formats_)
    return fail(ErrorCode::kUnavailable, "conservazione non configurata: [preservation] formats: " +
                                             formats_.error().detail);
  auto earlier = alreadyIngested(sip);
  if (!earlier) return tl::unexpected(earlier.error());
  if (*earlier) return **earlier;

  Checked c = check(sip, who);
  if (!c.envelope.ente.empty()) {
    auto ente = p_.enti->get(c.envelope.ente);
    if (!ente) {
      if (ente.error().code != ErrorCode::kNotFound) return tl::unexpected(ente.error());
      return tl::unexpected(Error::badInput("ente", "ente sconosciuto: " + c.envelope.ente));
    }
    c.ente = *ente;
    c.ente_name = p_.enti->formalName(c.envelope.ente);
  } else {
    return tl::unexpected(Error::badInput("ente", "codice ISTAT dell'ente obbligatorio"));
  }

  // The antivirus last: its refusals become problems of the report; without it nothing is
  // decided (503), as for every upload.
  for (std::size_t i = 0; i < sip.files.size(); ++i) {
    OfferedFile& f = sip.files[i];
    // screen() consumes the file on refusal: scan a copy, keep ours for the copies.
    const fs::path scanned = f.file.string() + ".scan";
    std::error_code ec;
    fs::create_hard_link(f.file, scanned, ec);
    if (ec) fs::copy_file(f.file, scanned, ec);
    if (ec) return fail(ErrorCode::kUnavailable, "conservazione: file temporaneo non scrivibile");
    uploads::NewUpload u{c.envelope.ente, who.actor_id.value_or(0), f.name, f.content_type,
                         scanned};
    u.source = "preservation";
    u.sha256 = f.sha256;
    auto screened = p_.uploads->screen(u, who);
    fs::remove(scanned, ec);
    if (!screened) {
      if (screened.error().code == ErrorCode::kUnavailable) return tl::unexpected(screened.error());
      c.problems.push_back({"file:" + f.name, screened.error().detail});
    } else if (screened->scan != uploads::ScanState::kClean) {
      c.problems.push_back(
          {"file:" + f.name, "file non analizzato dall'antivirus (oltre il limite di scansione)"});
    }
  }
  return c.problems.empty() ? accept(c, who) : reject(c, who);
}

Result<Receipt> Service::receipt(const std::string& id, const auth::EnteScope& scope) {
  auto r = p_.db->transact<std::optional<Receipt>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::receipt(tx, id); });
  if (!r) return tl::unexpected(r.error());
  // Another ente's receipt is as absent as one that does not exist.
  if (!*r || !scope.contains((*r)->ente))
    return fail(ErrorCode::kNotFound, "rapporto di versamento non trovato");
  return **r;
}

Result<std::string> Service::receiptDocument(const std::string& id, const auth::EnteScope& scope) {
  auto r = receipt(id, scope);
  if (!r) return tl::unexpected(r.error());
  return copies_.read(r->receipt_sha256);
}

Result<Service::ReceiptPage> Service::receipts(const std::string& ente, int limit,
                                               const std::optional<PageCursor>& cursor) {
  std::optional<std::pair<std::string, std::string>> before;
  if (cursor) before = std::pair{cursor->at, cursor->id};
  // One more than asked: whether another page follows.
  auto rows = p_.db->transact<std::vector<Receipt>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::receipts(tx, ente, limit + 1, before); });
  if (!rows) return tl::unexpected(rows.error());
  ReceiptPage page;
  if (static_cast<int>(rows->size()) > limit) {
    rows->resize(static_cast<std::size_t>(limit));
    page.next = PageCursor{rows->back().received_at, rows->back().id};
  }
  page.items = std::move(*rows);
  return page;
}

Result<Aip> Service::aip(const std::string& id, const auth::EnteScope& scope) {
  auto a = p_.db->transact<std::optional<Aip>>(db::TxMode::kRead,
                                               [&](db::Tx& tx) { return store::aip(tx, id); });
  if (!a) return tl::unexpected(a.error());
  if (!*a || !scope.contains((*a)->ente))
    return fail(ErrorCode::kNotFound, "pacchetto di archiviazione non trovato");
  return **a;
}

Result<std::vector<Aip>> Service::aips(const std::string& ente, int limit) {
  return p_.db->transact<std::vector<Aip>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::aips(tx, ente, limit); });
}

Result<Aip> Service::liveAip(const std::string& id, const auth::EnteScope& scope) {
  auto a = aip(id, scope);
  if (!a) return a;
  // Its content was destroyed by a scarto: the record stays, there is nothing to exhibit.
  if (!a->disposal_id.empty())
    return fail(ErrorCode::kConflict, "pacchetto scartato il " + a->disposed_at.substr(0, 10) +
                                          " (scarto " + a->disposal_id +
                                          "): il contenuto non è più conservato");
  return a;
}

Result<std::filesystem::path> Service::dip(const std::string& id, const auth::EnteScope& scope,
                                           const audit::Entry& who) {
  auto a = liveAip(id, scope);
  if (!a) return tl::unexpected(a.error());
  auto seal_pem = copies_.read(a->seal_certificate_sha256);
  if (!seal_pem) return tl::unexpected(seal_pem.error());
  auto tsa_pem = copies_.read(a->tsa_certificate_sha256);
  if (!tsa_pem) return tl::unexpected(tsa_pem.error());
  // Written to disk and streamed from there: a package of gigabytes never sits in memory.
  const std::filesystem::path zip = copies_.tempDir() / ("dip-" + randomToken(12) + ".zip");
  if (auto s = writeDip(zip, *a, copies_, *seal_pem, *tsa_pem); !s)
    return tl::unexpected(s.error());
  std::error_code ec;
  audit::Entry e = who;
  e.ente = a->ente;
  e.action = "preservation.dip.download";
  e.object_type = "aip";
  e.object_id = a->id;
  e.detail = {{"bytes", std::filesystem::file_size(zip, ec)}, {"title", a->title}};
  if (auto s = audit::appendAlone(*p_.db, e, p_.clock->now()); !s) {
    std::filesystem::remove(zip, ec);
    return tl::unexpected(s.error());
  }
  return zip;
}

}  // namespace cst::preservation
