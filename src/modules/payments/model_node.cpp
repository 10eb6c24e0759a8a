#include "model_node.hpp"

#include <array>

#include "common/json_fields.hpp"
#include "model.hpp"

namespace cst::payments {

using Need = JsonFields::Need;

Result<Broker> brokerFromJson(const nlohmann::json& body) {
  JsonFields f(body, "configurazione dell'intermediario non valida");
  Broker b;
  if (auto cf = f.text("fiscal_code", Need::kRequired)) {
    if (auto s = checkCreditorFiscalCode(*cf, "fiscal_code"); !s)
      f.bad("fiscal_code",
            s.error().fields.empty() ? s.error().detail : s.error().fields.front().message);
    else
      b.fiscal_code = *cf;
  }
  if (auto station = f.text("station_id", Need::kRequired)) {
    const bool shape = !station->empty() && station->size() <= 35 &&
                       station->find_first_not_of(
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                           "0123456789_-") == std::string::npos;
    if (shape)
      b.station_id = *station;
    else
      f.bad("station_id", "da 1 a 35 tra lettere, cifre, _ e - (di solito <codice fiscale>_01)");
  }
  if (auto s = f.result(); !s) return tl::unexpected(s.error());
  return b;
}

nlohmann::json toJson(const Broker& b) {
  return {{"fiscal_code", b.fiscal_code},
          {"station_id", b.station_id},
          {"updated_at", b.updated_at},
          {"updated_by", b.updated_by}};
}

std::optional<std::int64_t> parseWireAmount(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || text.size() - dot != 3 || dot > 12)
    return std::nullopt;
  std::int64_t cents = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == dot) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    cents = cents * 10 + (text[i] - '0');
  }
  return cents;
}

std::string wireAmount(std::int64_t cents) {
  std::string fraction = std::to_string(cents % 100);
  if (fraction.size() < 2) fraction.insert(0, "0");
  return std::to_string(cents / 100) + "." + fraction;
}

Error nodeFault(const char* code, std::string text) {
  Error e = Error::make(ErrorCode::kRuleViolated, std::move(text));
  e.type = code;
  return e;
}

std::string faultCodeOf(const Error& e) {
  static constexpr std::array kOurs{
      fault::kUnknown,       fault::kExpired,          fault::kCancelled,    fault::kAlreadyPaid,
      fault::kWrongAmount,   fault::kDuplicateReceipt, fault::kSemantic,     fault::kSyntax,
      fault::kWrongCreditor, fault::kWrongBroker,      fault::kWrongStation, fault::kSystem};
  for (const char* code : kOurs)
    if (e.type == code) return code;
  return fault::kSystem;
}

nlohmann::json toJson(const ReceiptTransfer& t) {
  nlohmann::json j{{"id", t.id},
                   {"amount_cents", t.amount_cents},
                   {"fiscal_code", t.fiscal_code},
                   {"remittance", t.remittance},
                   {"category", t.category}};
  j["iban"] = t.iban ? nlohmann::json(*t.iban) : nlohmann::json(nullptr);
  return j;
}

std::vector<ReceiptTransfer> receiptTransfersFromJson(const nlohmann::json& list) {
  std::vector<ReceiptTransfer> out;
  if (!list.is_array()) return out;
  for (const auto& j : list) {
    ReceiptTransfer t;
    t.id = j.value("id", 1);
    t.amount_cents = j.value("amount_cents", std::int64_t{0});
    t.fiscal_code = j.value("fiscal_code", "");
    if (j.contains("iban") && j["iban"].is_string()) t.iban = j["iban"].get<std::string>();
    t.remittance = j.value("remittance", "");
    t.category = j.value("category", "");
    out.push_back(std::move(t));
  }
  return out;
}

namespace {

nlohmann::json subjectJson(const Subject& s) {
  return {{"type", std::string(1, s.type)}, {"fiscal_code", s.fiscal_code}, {"name", s.name}};
}

nlohmann::json optionalJson(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json toJson(const StoredReceipt& s) {
  const Receipt& r = s.receipt;
  nlohmann::json transfers = nlohmann::json::array();
  for (const ReceiptTransfer& t : r.transfers) transfers.push_back(toJson(t));
  nlohmann::json j{{"id", s.id},
                   {"ente", s.ente},
                   {"receipt_id", r.receipt_id},
                   {"notice_number", r.notice_number},
                   {"creditor_fiscal_code", r.fiscal_code},
                   {"iuv", r.iuv},
                   {"outcome", r.outcome},
                   {"amount_cents", r.amount_cents},
                   {"description", r.description},
                   {"debtor", subjectJson(r.debtor)},
                   {"psp", {{"id", r.psp_id}, {"name", r.psp_name}, {"channel", r.channel_id}}},
                   {"payment_method", optionalJson(r.payment_method)},
                   {"payment_date_time", optionalJson(r.payment_date_time)},
                   {"application_date", optionalJson(r.application_date)},
                   {"transfer_date", optionalJson(r.transfer_date)},
                   {"stand_in", r.stand_in},
                   {"transfers", transfers},
                   {"anomaly", optionalJson(s.anomaly)},
                   {"received_at", s.received_at}};
  j["fee_cents"] = r.fee_cents ? nlohmann::json(*r.fee_cents) : nlohmann::json(nullptr);
  j["payer"] = r.payer ? subjectJson(*r.payer) : nlohmann::json(nullptr);
  j["position_id"] = s.position_id ? nlohmann::json(*s.position_id) : nlohmann::json(nullptr);
  j["option_id"] = s.option_id ? nlohmann::json(*s.option_id) : nlohmann::json(nullptr);
  return j;
}

}  // namespace cst::payments
