#pragma once
// The only place with the payments module's SQL (portable: SQLite and PostgreSQL alike). Every
// function runs inside the caller's transaction.
#include <optional>
#include <string>

#include "db/db.hpp"
#include "model.hpp"

namespace cst::payments::store {

// The ente's creditor configuration, nullopt when it has none yet.
Result<std::optional<Creditor>> creditor(db::Tx& tx, const std::string& ente);
// The ente configured with this creditor fiscal code, if any.
Result<std::optional<std::string>> enteWithFiscalCode(db::Tx& tx, const std::string& fiscal_code);
// Creates or replaces the whole configuration of c.ente (its IBANs and codes with it). The
// creditor row is written first: on PostgreSQL its row lock orders concurrent saves of one ente.
Status saveCreditor(db::Tx& tx, const Creditor& c);

}  // namespace cst::payments::store
