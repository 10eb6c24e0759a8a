#pragma once
// The payments service's use cases: each ente's creditor configuration (the fiscal code,
// segregation code, IBANs and taxonomy codes pagoPA knows it by) and its debt positions
// (service_positions.cpp). Validation, transactions and audit are here; no HTTP.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "model.hpp"
#include "model_position.hpp"
#include "store_positions.hpp"

namespace cst {
class Platform;
}

namespace cst::payments {

// Thread safety: every method may be called from any thread.
class Service {
 public:
  explicit Service(Platform& p) : p_(p) {}

  // The ente's configuration; nullopt when it has none yet; kNotFound for an unknown ente. The
  // caller has checked that the reader may see the ente.
  Result<std::optional<Creditor>> creditor(const std::string& ente);

  // Replaces the ente's whole configuration with the one in `body` (creditorFromJson), in one
  // transaction with its audit entry ("payments.creditor.update"). kBadInput naming every bad
  // field; kConflict (field fiscal_code) when another ente is configured with the same fiscal
  // code; kNotFound for an unknown ente. A refused request changes nothing.
  Result<Creditor> saveCreditor(const std::string& ente, const nlohmann::json& body,
                                const audit::Entry& who);

  // ---- Debt positions (service_positions.cpp) ----
  // `scope` is the set of enti the caller may act on for the operation: a position of any other
  // ente answers kNotFound, as one that does not exist.

  // Creates a DRAFT position of `ente` from `body` (positionFromJson), allocating the IUV and
  // notice number of every option in the same transaction, with its timeline event and audit
  // entry ("payments.position.create"). kRuleViolated (field `ente`) when the ente has no
  // creditor configuration; kBadInput naming every bad field; kConflict (field `reference`) for
  // a reference the ente already used. A refused request changes nothing.
  Result<DebtPosition> createPosition(const std::string& ente, const nlohmann::json& body,
                                      const audit::Entry& who);
  Result<DebtPosition> position(std::int64_t id, const auth::EnteScope& scope);
  // The caller has restricted `filter` to the enti it may see.
  Result<std::vector<DebtPosition>> positions(const store::PositionFilter& filter);
  // DRAFT -> VALID: the notice numbers become payable. kConflict from any other state.
  Result<DebtPosition> publishPosition(std::int64_t id, const auth::EnteScope& scope,
                                       const audit::Entry& who);
  // DRAFT or VALID -> INVALID, with the reason (required). kConflict from any other state (a
  // position with payments cannot be invalidated).
  Result<DebtPosition> invalidatePosition(std::int64_t id, const std::string& reason,
                                          const auth::EnteScope& scope, const audit::Entry& who);
  // Deletes a DRAFT (never published, so no notice of it exists); its IUVs are not reused.
  // kConflict for any other state.
  Status deletePosition(std::int64_t id, const auth::EnteScope& scope, const audit::Entry& who);
  // VALID positions whose valid_until (Europe/Rome) has passed -> EXPIRED, each with its event
  // and audit entry by "system". Returns how many expired.
  Result<int> expirePositions();
  // The IUV allocator's next base for (ente, segregation code): 1 when unused.
  Result<std::int64_t> nextIuvBase(const std::string& ente, const std::string& segregation_code);

 private:
  Platform& p_;
};

}  // namespace cst::payments
