#pragma once
// Search of AIPs by their metadata (migrations/0005_search.sql) and the volumes of the archive
// per ente. The index holds each value of an AIP's Allegato 5 `metadati`, written in the same
// transaction as the AIP (service_accept.cpp); AIPs kept before the index existed are indexed
// from their metadati.json by the first search of each process (Service::searchAips).
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/policy.hpp"
#include "common/result.hpp"
#include "db/db.hpp"
#include "model.hpp"

namespace cst::preservation {

// One value of the metadata under its path: the keys joined by '.', the items of a list under
// the list's own path, without an index, so that `Soggetti.Ruolo.TipoRuolo` = "Autore" finds an
// author in any position. Numbers and booleans as JSON writes them ("10", "true"); null and
// empty strings are left out.
struct MetadataValue {
  std::string path;
  std::string value;
  auto operator<=>(const MetadataValue&) const = default;
};
// Every distinct (path, value) of `metadati`, sorted. A value longer than kIndexedValueBytes is
// cut there (on a UTF-8 boundary): the index is a B-tree on both backends, and PostgreSQL refuses
// entries over about 2.7 KB. Paths longer than kIndexedPathBytes are left out.
std::vector<MetadataValue> flattenMetadata(const Json& metadati);
inline constexpr std::size_t kIndexedValueBytes = 1000;
inline constexpr std::size_t kIndexedPathBytes = 200;
// `value` as the index keeps it (cut as above), so that an exact search finds long values too.
std::string indexedValue(const std::string& value);

// The place of an AIP in the list (newest first, then by id): a page goes on after it.
// Written "<created_at>~<id>" ('~' is URL-safe and in neither: ids are base64url).
// Where a page of a list ordered newest first, then by id, ends: the last item's time and id.
struct PageCursor {
  std::string at;
  std::string id;
};
std::string formatCursor(const PageCursor& c);
// "<at>~<id>" as formatCursor writes it; kBadInput naming `cursor` otherwise.
Result<PageCursor> parseCursor(const std::string& text);

// A search in one ente's AIPs; every filter given must hold.
struct AipQuery {
  std::string ente;
  std::optional<std::string> text;            // q: in the title or any metadata value, any case
  std::optional<std::string> document_class;  // classe
  std::optional<std::string> kind;            // tipo
  std::optional<std::string> from_date;       // dal: YYYY-MM-DD, UTC day of created_at
  std::optional<std::string> to_date;         // al: inclusive
  std::vector<MetadataValue> metadata;        // meta.<path>=<value>: exact
  std::optional<PageCursor> before;
  int limit = 50;
};
// The filters of a query string (q, classe, tipo, dal, al, meta.*, before; not ente and limit,
// which the route checks): kBadInput naming the parameter that is wrong.
Result<AipQuery> parseAipQuery(const std::map<std::string, std::string>& query);

struct AipPage {
  std::vector<Aip> items;
  std::optional<PageCursor> next;  // set when more items follow
};
Json toJson(const AipPage& page);  // {"items": [...], "next_cursor": "<cursor>" | null}

// What the archive holds for an ente, and how its ingests went.
struct EnteVolume {
  std::string ente;            // empty in the totals
  std::int64_t aips = 0;       // kept: not disposed of (scarto)
  std::int64_t documents = 0;  // files with role principale or allegato
  std::int64_t documents_bytes = 0;
  std::int64_t package_bytes = 0;
  std::int64_t sips_accepted = 0;
  std::int64_t sips_rejected = 0;
  std::optional<std::string> last_ingest_at;  // the latest receipt, either outcome
};
struct VolumesSummary {
  std::vector<EnteVolume> items;  // by ente; only enti that offered at least one SIP
  EnteVolume totals;
  std::size_t copies = 0;
};
Json toJson(const VolumesSummary& s);

namespace store {

// Writes the index rows of an AIP (inside the transaction that inserts it).
Status indexMetadata(db::Tx& tx, const std::string& aip_id, const std::string& ente,
                     const Json& metadati);
// An AIP kept before the index existed, not indexed yet.
struct UnindexedAip {
  std::string id;
  std::string ente;
  std::string metadata_sha256;  // of its metadati.json; empty if it has none
};
// The next `limit` of them by id, after `after_id`.
Result<std::vector<UnindexedAip>> unindexedAips(db::Tx& tx, const std::string& after_id, int limit);
// Indexes an earlier AIP once (`metadati` may be null: nothing to index): false when another
// process did it first.
Result<bool> indexEarlierAip(db::Tx& tx, const UnindexedAip& aip, const Json& metadati);
Result<AipPage> searchAips(db::Tx& tx, const AipQuery& q);
// Grouped by ente, within `scope` (and `ente` when given).
Result<std::vector<EnteVolume>> volumes(db::Tx& tx, const auth::EnteScope& scope,
                                        const std::optional<std::string>& ente);

}  // namespace store

}  // namespace cst::preservation
