// Search by metadata, single-file downloads and the volumes summary: the query parameters, the
// flattening of the metadata for the index, and the Service's use cases over them.
#include "search.hpp"

#include <spdlog/spdlog.h>

#include <set>

#include "calendar/calendar.hpp"
#include "common/clock.hpp"
#include "platform/platform.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::preservation {

namespace {

constexpr std::size_t kMaxTextBytes = 200;
constexpr std::size_t kMaxMetadataFilters = 10;
constexpr const char* kMetaPrefix = "meta.";

void flattenInto(const Json& j, const std::string& path, std::set<MetadataValue>& out) {
  std::string value;
  switch (j.type()) {
    case Json::value_t::object:
      for (const auto& [key, child] : j.items())
        flattenInto(child, path.empty() ? key : path + "." + key, out);
      return;
    case Json::value_t::array:
      for (const Json& child : j) flattenInto(child, path, out);
      return;
    case Json::value_t::string:
      value = j.get<std::string>();
      break;
    case Json::value_t::boolean:
      value = j.get<bool>() ? "true" : "false";
      break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      value = j.dump();
      break;
    default:
      return;
  }
  if (path.empty() || path.size() > kIndexedPathBytes || value.empty()) return;
  out.insert({path, indexedValue(value)});
}

}  // namespace

Result<PageCursor> parseCursor(const std::string& text) {
  const auto bad = [] {
    return failField("cursor", "cursore non valido: usare il valore \"next_cursor\" della pagina");
  };
  const std::size_t tilde = text.find('~');
  if (tilde == std::string::npos) return bad();
  PageCursor c{text.substr(0, tilde), text.substr(tilde + 1)};
  if (!parseTimestamp(c.at) || c.id.empty() || c.id.size() > 64 ||
      c.id.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_") !=
          std::string::npos)
    return bad();
  return c;
}

namespace {

// A filter given but blank is no filter: a console sends its empty fields as they are.
std::optional<std::string> param(const std::map<std::string, std::string>& query,
                                 const std::string& name) {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  const std::size_t first = it->second.find_first_not_of(" \t");
  if (first == std::string::npos) return std::nullopt;
  return it->second.substr(first, it->second.find_last_not_of(" \t") - first + 1);
}

Json volumeJson(const EnteVolume& v) {
  return {{"aips", v.aips},
          {"documents", v.documents},
          {"documents_bytes", v.documents_bytes},
          {"package_bytes", v.package_bytes},
          {"sips_accepted", v.sips_accepted},
          {"sips_rejected", v.sips_rejected},
          {"last_ingest_at", v.last_ingest_at ? Json(*v.last_ingest_at) : Json(nullptr)}};
}

}  // namespace

std::string indexedValue(const std::string& value) {
  if (value.size() <= kIndexedValueBytes) return value;
  std::size_t n = kIndexedValueBytes;
  // Back to the first byte of the character that would be split.
  while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;
  return value.substr(0, n);
}

std::vector<MetadataValue> flattenMetadata(const Json& metadati) {
  std::set<MetadataValue> out;
  flattenInto(metadati, "", out);
  return {out.begin(), out.end()};
}

std::string formatCursor(const PageCursor& c) { return c.at + "~" + c.id; }

Result<AipQuery> parseAipQuery(const std::map<std::string, std::string>& query) {
  AipQuery q;
  q.text = param(query, "q");
  if (q.text && q.text->size() > kMaxTextBytes)
    return failField("q", "testo da cercare troppo lungo (al massimo 200 caratteri)");
  q.document_class = param(query, "classe");
  q.kind = param(query, "tipo");
  if (q.kind && !kindFromName(*q.kind))
    return failField("tipo", "valore non ammesso: \"" + *q.kind +
                                 "\"; ammessi: \"documento_informatico\", "
                                 "\"documento_amministrativo_informatico\", \"aggregazione\"");
  for (auto [name, slot] : {std::pair{"dal", &q.from_date}, std::pair{"al", &q.to_date}}) {
    *slot = param(query, name);
    if (*slot)
      if (auto d = calendar::parseDate(**slot, name); !d) return tl::unexpected(d.error());
  }
  // Both are "YYYY-MM-DD": their text order is their date order.
  if (q.from_date && q.to_date && *q.to_date < *q.from_date)
    return failField("al", "data precedente a quella di \"dal\"");
  for (const auto& [name, value] : query) {
    if (name.rfind(kMetaPrefix, 0) != 0) continue;
    const std::string path = name.substr(std::string_view(kMetaPrefix).size());
    if (path.empty() || path.size() > kIndexedPathBytes)
      return failField(name,
                       "percorso dei metadati non valido: meta.<percorso>=<valore>, "
                       "per esempio meta.DatiDiRegistrazione.TipologiaDiFlusso=E");
    if (value.empty()) return failField(name, "valore obbligatorio");
    q.metadata.push_back({path, indexedValue(value)});
  }
  if (q.metadata.size() > kMaxMetadataFilters)
    return failField("meta", "al massimo 10 filtri sui metadati");
  if (auto before = param(query, "cursor")) {
    auto c = parseCursor(*before);
    if (!c) return tl::unexpected(c.error());
    q.before = *c;
  }
  return q;
}

Json toJson(const AipPage& page) {
  Json items = Json::array();
  for (const Aip& a : page.items) items.push_back(toJson(a));
  return {{"items", items},
          {"next_cursor", page.next ? Json(formatCursor(*page.next)) : Json(nullptr)}};
}

Json toJson(const VolumesSummary& s) {
  Json items = Json::array();
  for (const EnteVolume& v : s.items) {
    Json j = volumeJson(v);
    j["ente"] = v.ente;
    items.push_back(std::move(j));
  }
  return {{"items", items}, {"totals", volumeJson(s.totals)}, {"copies", s.copies}};
}

Status Service::indexEarlierAips() {
  std::lock_guard lock(search_index_mutex_);
  if (earlier_indexed_) return {};
  std::string after;
  std::size_t indexed = 0, unreadable = 0;
  for (;;) {
    auto batch = p_.db->transact<std::vector<store::UnindexedAip>>(
        db::TxMode::kRead, [&](db::Tx& tx) { return store::unindexedAips(tx, after, 100); });
    if (!batch) return tl::unexpected(batch.error());
    if (batch->empty()) break;
    for (const store::UnindexedAip& u : *batch) {
      after = u.id;
      // Read outside any transaction: a copy on a slow disk must not hold the database.
      Json metadati;
      if (!u.metadata_sha256.empty()) {
        auto bytes = copies_.read(u.metadata_sha256);
        if (!bytes) {
          // Left pending: the next process tries again (a copy may be back by then).
          spdlog::warn("preservation: metadata of AIP {} not indexed: {}", u.id,
                       bytes.error().detail);
          ++unreadable;
          continue;
        }
        const Json doc = Json::parse(*bytes, nullptr, false);
        if (doc.is_object() && doc.contains("metadati")) metadati = doc["metadati"];
      }
      auto done = p_.db->transact<bool>(
          db::TxMode::kWrite, [&](db::Tx& tx) { return store::indexEarlierAip(tx, u, metadati); });
      if (!done) return tl::unexpected(done.error());
      indexed += *done ? 1 : 0;
    }
  }
  if (indexed || unreadable)
    spdlog::info("preservation: metadata of {} earlier AIPs indexed, {} unreadable", indexed,
                 unreadable);
  earlier_indexed_ = true;
  return {};
}

Result<AipPage> Service::searchAips(const AipQuery& q) {
  if (auto s = indexEarlierAips(); !s) return tl::unexpected(s.error());
  return p_.db->transact<AipPage>(db::TxMode::kRead,
                                  [&](db::Tx& tx) { return store::searchAips(tx, q); });
}

Result<std::pair<ObjectFacts, std::filesystem::path>> Service::file(const std::string& id,
                                                                    std::size_t position,
                                                                    const auth::EnteScope& scope,
                                                                    const audit::Entry& who) {
  auto a = liveAip(id, scope);
  if (!a) return tl::unexpected(a.error());
  if (position >= a->files.size()) {
    Error e = Error::badInput("position", "il pacchetto ha " + std::to_string(a->files.size()) +
                                              " file (posizioni da 0)");
    e.code = ErrorCode::kNotFound;
    return tl::unexpected(std::move(e));
  }
  const ObjectFacts& f = a->files[position];
  // Streamed from the copy that was found intact (a repair renames a new file into place, so an
  // open file keeps the bytes that were checked).
  auto file = copies_.intactPath(f.sha256);
  if (!file) return tl::unexpected(file.error());
  audit::Entry e = who;
  e.ente = a->ente;
  e.action = "preservation.file.download";
  e.object_type = "aip";
  e.object_id = a->id;
  e.detail = {{"position", position},
              {"path", f.path},
              {"sha256", f.sha256},
              {"bytes", f.size},
              {"title", a->title}};
  if (auto s = audit::appendAlone(*p_.db, e, p_.clock->now()); !s) return tl::unexpected(s.error());
  return std::pair{f, std::move(*file)};
}

Result<VolumesSummary> Service::summary(const auth::EnteScope& scope,
                                        const std::optional<std::string>& ente) {
  auto volumes = p_.db->transact<std::vector<EnteVolume>>(
      db::TxMode::kRead, [&](db::Tx& tx) { return store::volumes(tx, scope, ente); });
  if (!volumes) return tl::unexpected(volumes.error());
  VolumesSummary s;
  s.items = std::move(*volumes);
  s.copies = copies_.count();
  for (const EnteVolume& v : s.items) {
    s.totals.aips += v.aips;
    s.totals.documents += v.documents;
    s.totals.documents_bytes += v.documents_bytes;
    s.totals.package_bytes += v.package_bytes;
    s.totals.sips_accepted += v.sips_accepted;
    s.totals.sips_rejected += v.sips_rejected;
    if (v.last_ingest_at &&
        (!s.totals.last_ingest_at || *s.totals.last_ingest_at < *v.last_ingest_at))
      s.totals.last_ingest_at = v.last_ingest_at;
  }
  return s;
}

}  // namespace cst::preservation
