#pragma once
// Canned answers: replies the desk writes often ("password reimpostata", "intervento
// programmato"), kept once and used in a click. Their text may name the ticket through
// placeholders, filled when the answer is used: {richiedente}, {ticket}, {oggetto}, {operatore},
// {ente}.
#include <string>
#include <vector>

#include "db/db.hpp"
#include "enti/enti.hpp"
#include "service.hpp"
#include "store.hpp"

namespace cst::helpdesk {

struct CannedText {
  std::string title;
  std::string body;
  std::optional<std::int64_t> category_id;
};

class CannedAnswers {
 public:
  CannedAnswers(db::Database& db, const Clock& clock, enti::Registry& enti);

  Result<std::vector<store::CannedAnswer>> list();
  // kNotFound when absent.
  Result<store::CannedAnswer> get(std::int64_t id);
  // kBadInput naming title/body/category_id; a title already used is refused (409, "title").
  Result<store::CannedAnswer> create(const CannedText& in, const Actor& by);
  Result<store::CannedAnswer> update(std::int64_t id, const CannedText& in, const Actor& by);
  Status remove(std::int64_t id, const Actor& by);

  // The answer's text with its placeholders filled from `t`, as `by` writes it.
  std::string fill(const store::CannedAnswer& a, const Ticket& t, const Actor& by);

 private:
  Result<store::CannedAnswer> save(std::optional<std::int64_t> id, const CannedText& in,
                                   const Actor& by);

  db::Database& db_;
  const Clock& clock_;
  enti::Registry& enti_;
};

nlohmann::json toJson(const store::CannedAnswer& a);

}  // namespace cst::helpdesk
