// Full-text search of the tickets: the newest matches the caller may see (the window), ranked,
// one page of them. Only the newest are ranked: ranking every match of a common word
// ("stampante" is in a fifth of the archive) costs time proportional to the archive, and the desk
// looks for recent tickets; an older one is found by adding a word. Each backend finds the window
// its own way (FTS5 on SQLite, a tsvector beside each ticket on PostgreSQL); the page is read the
// same way from both.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store_rows.hpp"

namespace cst::helpdesk::store {

using db::Params;
using db::Row;

namespace {

// Calls fn(word) for each run of ASCII letters and digits and non-ASCII bytes of `text` (so that
// accented words stay whole), ASCII lower-cased, in a buffer reused from word to word.
template <class Fn>
void forEachWord(std::string_view text, Fn fn) {
  std::string w;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      w += static_cast<char>(std::tolower(u));
    } else if (!w.empty()) {
      fn(w);
      w.clear();
    }
  }
  if (!w.empty()) fn(w);
}

// The accented Latin-1 letters (U+00C0-U+00FF, UTF-8 C3 80-BF) as FTS5's unicode61 tokenizer with
// remove_diacritics folds them, lower-cased: "Perché" and "perche" are the same term. '?' marks
// the letters and signs left as they are (Æ, Ð, ×, Ø, Þ, ß, ...).
constexpr std::string_view kFolded =
    "aaaaaa?ceeeeiiii?nooooo??uuuuy??aaaaaa?ceeeeiiii?nooooo??uuuuy?y";

std::string foldAccents(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto b = static_cast<unsigned char>(word[i]);
    if (b == 0xC3 && i + 1 < word.size()) {
      const auto next = static_cast<unsigned char>(word[i + 1]);
      if (next >= 0x80 && next <= 0xBF && kFolded[next - 0x80] != '?') {
        out += kFolded[next - 0x80];
        ++i;
        continue;
      }
    }
    out += word[i];
  }
  return out;
}

bool isAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::vector<std::string> searchWords(const std::string& text) {
  std::vector<std::string> words;
  forEachWord(text, [&](const std::string& w) {
    if (words.size() < 16) words.push_back(w);
  });
  return words;
}

std::string fullTextQuery(const std::vector<std::string>& words, db::Dialect dialect,
                          bool any_word) {
  const bool sqlite = dialect == db::Dialect::kSqlite;
  const char* join = sqlite ? (any_word ? " OR " : " ") : (any_word ? " | " : " & ");
  std::string q;
  for (const std::string& w : words) {
    if (!q.empty()) q += join;
    q += sqlite ? "\"" + w + "\"*" : w + ":*";  // FTS5: "word"*; to_tsquery: word:*
  }
  return q;
}

namespace {

struct Match {
  std::int64_t id;
  double rank;  // higher ranks first
};

// PostgreSQL finds the newest matches of a word in one of two ways, and which is cheap depends on
// how common the word is. Walking the caller's tickets newest first (an ordered index) and testing
// each stops once the window is full: cheap for a common word, endless for a rare one. The GIN
// index yields every match at once, unordered, each costing a visit to its row, and reading a
// common word's entries alone costs tens of milliseconds on a million tickets: cheap for a rare
// word only. Asked for the newest matches of the whole archive, the planner misjudges which (on a
// million tickets: 80-180 ms for a Comune's clerk's search). So the search first asks the
// planner's statistics how common the words are: under `walk_share` of the archive it asks the
// index for the newest matches at once. Otherwise it walks the newest
// `first_walk` tickets of the caller's scope first, and from the share of matches it saw either
// walks on (at least `walk_share`, 2%: the rows still needed at that share, at most ten times the
// first walk) or asks for an id range sized to hold about twice the matches still needed, where
// the planner's choice is sound, widening it until the window is full or the archive ends.
// (SQLite's FTS5 walks its index newest first, see sqliteWindow.)
class PostgresSearch {
 public:
  PostgresSearch(db::Tx& tx, const Filter& f, std::string query, const SearchLimits& limits)
      : tx_(tx), f_(f), query_(std::move(query)), limits_(limits) {}

  Result<std::vector<Match>> run() {
    auto top = tx_.one("SELECT COALESCE(MAX(ticket_id), 0) FROM helpdesk_ticket_search");
    if (!top) return tl::unexpected(top.error());
    const std::int64_t newest = top->integer(0);
    // What the planner's statistics call rare is not worth a first walk: its matches are few
    // wherever they lie, and the index finds them all at once.
    auto share = estimatedShare();
    if (!share) return tl::unexpected(share.error());
    if (*share < limits_.walk_share) {
      if (auto s = fromIndex(0, newest); !s) return tl::unexpected(s.error());
      return std::move(found_);
    }
    std::int64_t upper = newest;
    std::int64_t walked = 0;  // rows tested by walks
    std::int64_t walk_hits = 0;
    std::int64_t rows = limits_.first_walk;
    while (upper > 0 && need() > 0) {
      const double share = walked ? double(walk_hits) / double(walked) : 0.0;
      if (walked == 0 || share >= limits_.walk_share) {  // the first walk always
        const std::int64_t before = std::ssize(found_);
        if (auto s = walk(upper, rows); !s) return tl::unexpected(s.error());
        if (need() == 0) break;
        // The walk tested all its rows: go on below them.
        walked += rows;
        walk_hits += std::ssize(found_) - before;
        auto next = boundary(upper, rows);
        if (!next) return tl::unexpected(next.error());
        upper = *next;
        const double seen = double(walk_hits) / double(walked);
        rows = std::clamp<std::int64_t>(
            seen > 0 ? static_cast<std::int64_t>(double(need()) / seen * 1.25) : 0,
            limits_.first_walk, 10 * limits_.first_walk);
      } else {
        // Matches per id so far: the range below that should hold twice the matches needed.
        const double per_id =
            double(found_.size()) / double(std::max<std::int64_t>(1, newest - upper));
        const std::int64_t lower =
            per_id > 0 ? std::max<std::int64_t>(
                             0, upper - static_cast<std::int64_t>(2.0 * double(need()) / per_id))
                       : 0;
        if (auto s = fromIndex(lower, upper); !s) return tl::unexpected(s.error());
        upper = lower;
      }
    }
    return std::move(found_);
  }

 private:
  std::int64_t need() const { return limits_.window - std::ssize(found_); }

  // " FROM ... WHERE" over the caller's scope, with the filters' parameters appended to `p`;
  // nullopt when the caller may see no ente. The tickets' table is joined only for a filter
  // that reads it (the ente is beside the vector).
  std::optional<std::string> scope(Params& p) const {
    std::string on_search, on_tickets;
    if (!appendEnteFilters(f_, "s", on_search, p)) return std::nullopt;
    appendTicketFilters(f_, on_tickets, p);
    return std::string(" FROM helpdesk_ticket_search s") +
           (on_tickets.empty() ? "" : " JOIN helpdesk_tickets t ON t.id = s.ticket_id") +
           " WHERE 1 = 1" + on_search + on_tickets;
  }

  // The share of the archive the planner expects to match (its estimate of the rows over the
  // table's size, both from the statistics ANALYZE keeps); 1 while the table has none.
  Result<double> estimatedShare() {
    auto size =
        tx_.one("SELECT reltuples FROM pg_class WHERE oid = 'helpdesk_ticket_search'::regclass");
    if (!size) return tl::unexpected(size.error());
    if (size->real(0) <= 0) return 1.0;
    auto plan = tx_.one(
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM helpdesk_ticket_search s WHERE s.search @@ "
        "to_tsquery('italian', ?)",
        {query_});
    if (!plan) return tl::unexpected(plan.error());
    const auto json = nlohmann::json::parse(plan->text(0), nullptr, false);
    if (!json.is_array() || json.empty() || !json[0]["Plan"]["Plan Rows"].is_number()) return 1.0;
    return json[0]["Plan"]["Plan Rows"].get<double>() / size->real(0);
  }

  // The newest id of the scope at or under `upper` after its `rows` newest (0: none).
  Result<std::int64_t> boundary(std::int64_t upper, std::int64_t rows) {
    Params p;
    auto from = scope(p);
    if (!from) return std::int64_t{0};
    p.emplace_back(upper);
    p.emplace_back(rows);
    auto r = tx_.query("SELECT s.ticket_id" + *from +
                           " AND s.ticket_id <= ? ORDER BY s.ticket_id DESC OFFSET ? LIMIT 1",
                       p);
    if (!r) return tl::unexpected(r.error());
    return r->empty() ? std::int64_t{0} : r->front().integer(0);
  }

  // The newest matches the window still needs among the scope's `rows` newest rows at or under
  // `upper`, tested one by one, newest first (the LIMIT of the inner query keeps the planner
  // from answering it through the full-text index).
  Status walk(std::int64_t upper, std::int64_t rows) {
    if (auto s = cheapRandomPages(true); !s) return s;
    Params p{query_};
    auto from = scope(p);
    if (!from) return {};
    p.emplace_back(upper);
    p.emplace_back(rows);
    p.emplace_back(query_);
    p.emplace_back(need());
    return collect(
        "SELECT w.ticket_id, ts_rank(w.search, to_tsquery('italian', ?)) FROM (SELECT "
        "s.ticket_id, s.search" +
            *from +
            " AND s.ticket_id <= ? ORDER BY s.ticket_id DESC LIMIT ?) w WHERE w.search @@ "
            "to_tsquery('italian', ?) ORDER BY w.ticket_id DESC LIMIT ?",
        p);
  }

  // The newest matches in (lower, upper] the window still needs, the planner choosing between the
  // full-text index and a walk of the range.
  Status fromIndex(std::int64_t lower, std::int64_t upper) {
    if (auto s = cheapRandomPages(false); !s) return s;
    Params p{query_};
    auto from = scope(p);
    if (!from) return {};
    p.emplace_back(query_);
    p.emplace_back(lower);
    p.emplace_back(upper);
    p.emplace_back(need());
    return collect("SELECT s.ticket_id, ts_rank(s.search, to_tsquery('italian', ?))" + *from +
                       " AND s.search @@ to_tsquery('italian', ?) AND s.ticket_id > ? AND "
                       "s.ticket_id <= ? ORDER BY s.ticket_id DESC LIMIT ?",
                   p);
  }

  // With the default cost of a random page (4, a spinning disk's) the planner walks every ticket
  // in id order rather than one ente's tickets through their own index; the archive is in memory
  // or on SSD, where a random page costs about what a sequential one does. The range queries keep
  // the default, with which the planner chooses well. For this transaction only.
  Status cheapRandomPages(bool cheap) {
    if (cheap == cheap_pages_) return {};
    auto r = tx_.exec(cheap ? "SET LOCAL random_page_cost = 1.1"
                            : "SET LOCAL random_page_cost TO DEFAULT");
    if (!r) return tl::unexpected(r.error());
    cheap_pages_ = cheap;
    return {};
  }

  Status collect(const std::string& sql, const Params& p) {
    auto rows = tx_.query(sql, p);
    if (!rows) return tl::unexpected(rows.error());
    for (const db::Row& r : *rows) found_.push_back({r.integer(0), r.real(1)});
    return {};
  }

  db::Tx& tx_;
  const Filter& f_;
  const std::string query_;
  const SearchLimits& limits_;
  std::vector<Match> found_;
  bool cheap_pages_ = false;
};

// FTS5 answers a prefix query ("stampante"*) by merging the whole doclist of every term it covers
// before the first row comes out (80 ms for a word in a fifth of a million tickets), while it
// reads an exact term's doclist lazily, newest first, so that the window stops it (under 1 ms).
// So each word becomes the OR of the exact terms of the index it is a prefix of, taken from the
// index's vocabulary (helpdesk_search_terms, migrations 0012 and 0013; the tickets whose terms are
// not in it yet are in helpdesk_search_recent, see sqliteWindow). A word that covers more than
// kMaxTerms terms, or that keeps a letter whose folding we do not know (not ASCII once the accents
// are folded), stays a prefix query: slower, never wrong. nullopt: a word none of the vocabulary
// begins.
constexpr std::int64_t kMaxTerms = 32;

Result<std::optional<std::string>> sqliteMatch(db::Tx& tx, const std::vector<std::string>& words) {
  std::string match;
  for (const std::string& word : words) {
    std::string part = "\"" + word + "\"*";
    const std::string folded = foldAccents(word);
    if (isAscii(folded)) {
      std::string upper = folded;  // the first string after every one that starts with `folded`
      ++upper.back();
      auto terms = tx.query(
          "SELECT term FROM helpdesk_search_terms WHERE term >= ? AND term < ? ORDER BY term "
          "LIMIT ?",
          {folded, upper, kMaxTerms + 1});
      if (!terms) return tl::unexpected(terms.error());
      if (terms->empty()) return std::optional<std::string>{};
      if (std::ssize(*terms) <= kMaxTerms) {
        part.clear();
        for (const Row& r : *terms) {
          std::string term = r.text(0);  // a token: letters and digits, never a quote
          part += (part.empty() ? "(\"" : " OR \"") + term + "\"";
        }
        part += ")";
      }
    }
    match += (match.empty() ? "" : " AND ") + part;
  }
  return std::optional<std::string>{match};
}

// How well a ticket answers the words, as bm25 would without the words' rarity (knowing it costs
// a read of every match of each word): a word that begins a word of the subject counts 4, each of
// its first three occurrences in the description 1. `words` are folded as the index folds them.
double relevance(const std::vector<std::string>& words, std::string_view subject,
                 std::string_view description) {
  std::array<bool, 16> in_subject{};
  std::array<int, 16> in_description{};
  const std::size_t n = std::min(words.size(), in_subject.size());
  auto scan = [&](std::string_view text, auto&& hit) {
    std::string folded;
    forEachWord(text, [&](const std::string& raw) {
      const std::string& token = isAscii(raw) ? raw : (folded = foldAccents(raw));
      for (std::size_t i = 0; i < n; ++i)
        if (token.compare(0, words[i].size(), words[i]) == 0) hit(i);
    });
  };
  scan(subject, [&](std::size_t i) { in_subject[i] = true; });
  scan(description, [&](std::size_t i) { in_description[i] = std::min(in_description[i] + 1, 3); });
  double score = 0;
  for (std::size_t i = 0; i < n; ++i) score += (in_subject[i] ? 4 : 0) + in_description[i];
  return score;
}

// The newest `window` matches of `match` in the FTS5 index `index` (its rowids are ticket ids; it
// is read newest first and the caller's filters are tested on each match), added to `rows` by id.
Status sqliteMatches(db::Tx& tx, const Filter& f, const std::string& index,
                     const std::string& match, const SearchLimits& limits,
                     std::map<std::int64_t, Row>& rows) {
  std::string sql = "SELECT t.id, t.subject, t.description FROM " + index +
                    " JOIN helpdesk_tickets t ON t.id = " + index + ".rowid WHERE " + index +
                    " MATCH ?";
  Params p{match};
  if (!appendFilters(f, sql, p)) return {};
  sql += " ORDER BY " + index + ".rowid DESC LIMIT ?";
  p.emplace_back(limits.window);
  auto found = tx.query(sql, p);
  if (!found) return tl::unexpected(found.error());
  for (Row& r : *found) rows.emplace(r.integer(0), std::move(r));
  return {};
}

// SQLite: the newest `window` matches, scored here. The tickets' index answers for the words'
// exact terms in the vocabulary; the recent index, which holds the few tickets (at most about 64)
// whose terms have not joined the vocabulary yet, answers the prefix query itself, cheaply for
// so few. A ticket found both ways counts once.
Result<std::vector<Match>> sqliteWindow(db::Tx& tx, const Filter& f,
                                        const std::vector<std::string>& words,
                                        const SearchLimits& limits) {
  auto match = sqliteMatch(tx, words);
  if (!match) return tl::unexpected(match.error());
  std::map<std::int64_t, Row> rows;
  if (*match)
    if (auto s = sqliteMatches(tx, f, "helpdesk_tickets_fts", **match, limits, rows); !s)
      return tl::unexpected(s.error());
  if (auto s = sqliteMatches(tx, f, "helpdesk_search_recent",
                             fullTextQuery(words, db::Dialect::kSqlite, false), limits, rows);
      !s)
    return tl::unexpected(s.error());
  std::vector<std::string> folded;
  for (const std::string& w : words) folded.push_back(foldAccents(w));
  std::vector<Match> window;
  for (auto it = rows.rbegin(); it != rows.rend() && std::ssize(window) < limits.window; ++it)
    window.push_back({it->first, relevance(folded, it->second.text(1), it->second.text(2))});
  return window;
}

// The page at the filter's offset of the window, best first (the newest first among equals).
Result<std::vector<Ticket>> rankedPage(db::Tx& tx, std::vector<Match> window, const Filter& f) {
  std::sort(window.begin(), window.end(), [](const Match& a, const Match& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.id > b.id;
  });
  const auto from = std::min<std::size_t>(window.size(), static_cast<std::size_t>(f.offset));
  const auto to = std::min<std::size_t>(window.size(), from + static_cast<std::size_t>(f.limit));
  if (from == to) return std::vector<Ticket>{};
  std::string sql = selectTickets() + " WHERE t.id IN (";
  Params p;
  std::unordered_map<std::int64_t, std::size_t> place;
  for (std::size_t i = from; i < to; ++i) {
    sql += i > from ? ", ?" : "?";
    p.emplace_back(window[i].id);
    place.emplace(window[i].id, i - from);
  }
  auto page = mapRows<Ticket>(tx.query(sql + ")", p), ticketOf);
  if (!page) return page;
  std::sort(page->begin(), page->end(),
            [&](const Ticket& a, const Ticket& b) { return place.at(a.id) < place.at(b.id); });
  return page;
}

}  // namespace

Result<std::vector<Ticket>> searchTickets(db::Tx& tx, const Filter& f, const SearchLimits& limits) {
  const auto words = searchWords(*f.text);
  if (words.empty()) return failField("q", "indicare almeno una parola da cercare");
  auto window =
      tx.dialect() == db::Dialect::kSqlite
          ? sqliteWindow(tx, f, words, limits)
          : PostgresSearch(tx, f, fullTextQuery(words, tx.dialect(), false), limits).run();
  if (!window) return tl::unexpected(window.error());
  return rankedPage(tx, std::move(*window), f);
}

}  // namespace cst::helpdesk::store
