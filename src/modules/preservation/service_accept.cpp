// The two outcomes of an ingest: the rejection (a signed receipt naming every problem, nothing of
// the SIP kept) and the acceptance (the AIP: documents, metadata, SInCRO index, its CAdES
// signature and the time-stamp over that signature, in every copy, then the rows).
#include <spdlog/spdlog.h>

#include "common/crypto.hpp"
#include "disposal.hpp"
#include "platform/platform.hpp"
#include "receipt.hpp"
#include "search.hpp"
#include "service.hpp"
#include "sign/cades.hpp"
#include "sincro.hpp"
#include "store.hpp"

namespace cst::preservation {

namespace {

constexpr const char* kKeeper = "Centro Servizi Territoriale - servizio di conservazione";
constexpr const char* kLaws =
    "Linee Guida AgID sulla formazione, gestione e conservazione dei documenti informatici";

std::string safeName(const std::string& name) {
  std::string out;
  for (char c : name)
    out +=
        (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  return out.empty() ? "documento" : out;
}

SincroAgent enteAgent(const enti::Ente& e, const std::string& name, const std::string& role) {
  SincroAgent a;
  a.legal_person = true;
  a.agent_id = e.codice_fiscale.empty() ? "NTRIT-" + e.istat : "VATIT-" + e.codice_fiscale;
  a.formal_name = name;
  a.role = role;
  a.relevant_documents = {"Manuale di conservazione del Centro Servizi Territoriale"};
  return a;
}

std::string twoDigits(std::size_t n) { return (n < 9 ? "0" : "") + std::to_string(n + 1); }

}  // namespace

Result<Receipt> Service::issueReceipt(const Checked& c, const audit::Entry& who,
                                      const std::string& aip_id, const std::string& at) {
  Receipt r;
  r.id = randomToken(16);
  r.ente = c.envelope.ente;
  r.received_at = at;
  r.accepted = !aip_id.empty();
  r.source = c.sip->source;
  r.source_ref = c.sip->source_ref;
  r.submitted_by = who.actor;
  r.objects = c.objects;
  r.problems = c.problems;
  r.aip_id = aip_id;
  auto key = seal();
  if (!key) return tl::unexpected(key.error());
  auto doc = receiptXml(r, c.ente_name, *key);
  if (!doc) return tl::unexpected(doc.error());
  auto sha = copies_.putBytes(*doc);
  if (!sha) return tl::unexpected(sha.error());
  r.receipt_sha256 = *sha;
  return r;
}

Result<Receipt> Service::reject(Checked& c, const audit::Entry& who) {
  auto issued = issueReceipt(c, who, "", formatTimestamp(p_.clock->now()));
  if (!issued) return tl::unexpected(issued.error());
  const Receipt& r = *issued;
  auto s = p_.db->transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    if (auto w = store::insertReceipt(tx, r); !w) return w;
    audit::Entry e = who;
    e.ente = r.ente;
    e.action = "preservation.sip.reject";
    e.object_type = "sip";
    e.object_id = r.id;
    e.outcome = "denied";
    e.detail = {{"problems", r.problems.size()}, {"source", r.source}};
    return audit::append(tx, e, p_.clock->now());
  });
  if (!s) return tl::unexpected(s.error());
  return r;
}

Result<Receipt> Service::accept(Checked& c, const audit::Entry& who) {
  // From the first object written to the copies until the rows holding them commit: a scarto
  // must not delete an object this package is about to hold (copies.hpp).
  std::shared_lock content(copies_.contentLock());
  const auto now = p_.clock->now();
  Aip a;
  a.id = randomToken(16);
  a.ente = c.envelope.ente;
  a.kind = std::string(nameOf(*c.envelope.kind));
  a.document_class = c.envelope.document_class;
  a.created_at = formatTimestamp(now);
  a.document_date = documentDate(a.kind, c.envelope.metadati, a.created_at);
  a.title = c.envelope.title;
  if (a.title.empty() && c.envelope.metadati.contains("ChiaveDescrittiva") &&
      c.envelope.metadati["ChiaveDescrittiva"].is_object())
    a.title = c.envelope.metadati["ChiaveDescrittiva"].value("Oggetto", "");
  if (a.title.empty()) a.title = c.objects.front().name;
  const std::string urn = "urn:cst:" + a.ente + ":";

  // The documents, primary first, into every copy.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < c.objects.size(); ++i)
    if (c.objects[i].role == "principale")
      order.insert(order.begin(), i);
    else
      order.push_back(i);
  SincroIndex index;
  for (std::size_t n = 0; n < order.size(); ++n) {
    const OfferedFile& f = c.sip->files[order[n]];
    ObjectFacts o = c.objects[order[n]];
    o.path = "documenti/" + twoDigits(n) + "-" + safeName(f.name);
    if (auto s = copies_.putFile(f.file, f.sha256); !s) return tl::unexpected(s.error());
    a.documents_bytes += o.size;
    index.file_groups.push_back(
        {urn + "doc:" + a.id + ":" + std::to_string(n + 1),
         o.role == "principale" ? "Documento principale" : "Allegato",
         {{urn + "file:" + a.id + ":" + std::to_string(n + 1), o.path, o.sha256, o.mime,
           o.path.substr(o.path.rfind('.') == std::string::npos ? o.path.size()
                                                                : o.path.rfind('.') + 1)}}});
    a.files.push_back(o);
  }

  // The metadata as offered, with the computed facts of each document beside them.
  Json metadata{{"tipo", a.kind},
                {"ente", a.ente},
                {"classe_documentale", a.document_class},
                {"titolo", a.title},
                {"metadati", c.envelope.metadati}};
  for (const ObjectFacts& o : a.files) metadata["documenti"].push_back(toJson(o));
  const std::string metadata_text = metadata.dump();  // compact: a per-package cost (bench)
  auto metadata_sha = copies_.putBytes(metadata_text);
  if (!metadata_sha) return tl::unexpected(metadata_sha.error());
  a.files.push_back({"metadati.json", "metadati", *metadata_sha,
                     static_cast<std::int64_t>(metadata_text.size()), "json", "application/json",
                     "metadati.json"});
  index.file_groups.push_back({urn + "metadati:" + a.id,
                               "Metadati (Allegato 5 delle Linee Guida AgID)",
                               {{urn + "file:" + a.id + ":metadati", "metadati.json", *metadata_sha,
                                 "application/json", "json"}}});

  // The index, signed with the service's seal, the signature time-stamped.
  index.id = urn + "IndiceAIP:" + a.id;
  index.application_name = "CST - Conservazione";
  index.application_version = CST_VERSION;
  index.producer = kKeeper;
  index.volume_id = urn + "AIP:" + a.id;
  index.volume_label = a.title;
  if (!a.document_class.empty()) {
    index.volume_group_id = urn + "classe:" + a.document_class;
    index.volume_group_label = a.document_class;
  }
  index.submitter = enteAgent(c.ente, c.ente_name, "");
  index.holder = enteAgent(c.ente, c.ente_name, "soggetto produttore");
  SincroAgent keeper;
  keeper.legal_person = true;
  keeper.agent_id = "NTRIT-CST";
  keeper.formal_name = kKeeper;
  keeper.role = "Responsabile del servizio di conservazione (sigillo elettronico)";
  keeper.relevant_documents = {"Manuale di conservazione del Centro Servizi Territoriale"};
  index.signers = {keeper};
  index.time_info = a.created_at;
  index.laws_and_regulations = kLaws;
  const std::string index_xml = sincroXml(index);
  if (auto s = checkSincroStructure(index_xml); !s)
    return fail(ErrorCode::kInternal, "SInCRO index not valid: " + s.error().detail);
  auto key = seal();
  if (!key) return tl::unexpected(key.error());
  auto signature = sign::signDetached(index_xml, *key);
  if (!signature) return tl::unexpected(signature.error());
  auto authority = tsa();
  if (!authority) return tl::unexpected(authority.error());
  auto stamp = (*authority)->stamp(*signature);
  if (!stamp) return tl::unexpected(stamp.error());
  const std::pair<const std::string*, ObjectFacts> generated[] = {
      {&index_xml, {"indice.xml", "indice", "", 0, "xml", "application/xml", "indice.xml"}},
      {&*signature,
       {"indice.xml.p7s", "firma", "", 0, "p7s", "application/pkcs7-signature", "indice.xml.p7s"}},
      {&stamp->response_der,
       {"indice.xml.p7s.tsr", "marca_temporale", "", 0, "tsr", "application/timestamp-reply",
        "indice.xml.p7s.tsr"}}};
  for (const auto& [bytes, facts] : generated) {
    auto sha = copies_.putBytes(*bytes);
    if (!sha) return tl::unexpected(sha.error());
    ObjectFacts o = facts;
    o.sha256 = *sha;
    o.size = static_cast<std::int64_t>(bytes->size());
    a.files.push_back(o);
  }
  a.index_sha256 = a.files[a.files.size() - 3].sha256;
  a.signature_sha256 = a.files[a.files.size() - 2].sha256;
  a.timestamp_sha256 = a.files.back().sha256;
  a.timestamp_time = stamp->gen_time;
  a.tsa = (*authority)->name();
  for (auto [pem, sha] : {std::pair{key->certificate_pem, &a.seal_certificate_sha256},
                          std::pair{(*authority)->certificatePem(), &a.tsa_certificate_sha256}}) {
    auto stored = copies_.putBytes(pem);
    if (!stored) return tl::unexpected(stored.error());
    *sha = *stored;
  }
  for (const ObjectFacts& o : a.files) a.package_bytes += o.size;

  auto issued = issueReceipt(c, who, a.id, a.created_at);
  if (!issued) return tl::unexpected(issued.error());
  const Receipt& r = *issued;
  a.sip_id = r.id;

  auto s = p_.db->transact<std::optional<Receipt>>(
      db::TxMode::kWrite, [&](db::Tx& tx) -> Result<std::optional<Receipt>> {
        // Offered twice at once by a module: the first one's receipt stands.
        if (!r.source_ref.empty()) {
          auto first = store::acceptedFrom(tx, r.source, r.source_ref);
          if (!first || *first) return first;
        }
        if (auto w = store::insertReceipt(tx, r); !w) return tl::unexpected(w.error());
        if (auto w = store::insertAip(tx, a); !w) return tl::unexpected(w.error());
        if (auto w = store::indexMetadata(tx, a.id, a.ente, c.envelope.metadati); !w)
          return tl::unexpected(w.error());
        audit::Entry e = who;
        e.ente = a.ente;
        e.action = "preservation.aip.create";
        e.object_type = "aip";
        e.object_id = a.id;
        e.detail = {{"sip", r.id},
                    {"index_sha256", a.index_sha256},
                    {"documents", order.size()},
                    {"source", r.source}};
        if (auto w = audit::append(tx, e, now); !w) return tl::unexpected(w.error());
        return std::optional<Receipt>{};
      });
  if (!s) return tl::unexpected(s.error());
  if (*s) return **s;
  spdlog::info("preservation: AIP {} of {} kept ({} documents, {} bytes)", a.id, a.ente,
               order.size(), a.package_bytes);
  return r;
}

}  // namespace cst::preservation
