// Debt positions without a database: the debtor's codice fiscale, the state machine's whole
// transition table, and the creation request's validation (every bad field named).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "model_position.hpp"

namespace cst::payments {
namespace {

using nlohmann::json;

constexpr const char* kToday = "2026-11-27";

Creditor cremona() {
  return {"019036",
          "00297960197",
          "01",
          {{"IT60X0542811101000000123456", "Tesoreria comunale", true},
           {"IT42K0760111400000012345678", "Conto corrente postale", false}},
          {{"9/0101002IM/", "Diritti di segreteria"}, {"9/0101108TS/", "Servizi scolastici"}},
          "",
          ""};
}

json validBody() {
  return json::parse(R"({
    "reference": "TARI-2026-0001",
    "description": "TARI 2026",
    "service_code": "9/0101002IM/",
    "debtor": {"type": "F", "fiscal_code": "rssmra85t10a562s", "name": "Mario Rossi",
               "email": "mario.rossi@example.it", "province": "cr", "country": "IT"},
    "options": [{"amount_cents": 12000, "due_date": "2027-01-31",
                 "transfers": [{"amount_cents": 12000, "remittance": "TARI 2026"}]}]
  })");
}

std::set<std::string> fieldsOf(const Result<DebtPosition>& r) {
  std::set<std::string> out;
  if (!r) {
    for (const FieldError& e : r.error().fields) out.insert(e.field);
  }
  return out;
}

TEST(PositionStatus, NamesRoundTrip) {
  for (auto s : {PositionStatus::kDraft, PositionStatus::kValid, PositionStatus::kPartiallyPaid,
                 PositionStatus::kPaid, PositionStatus::kReported, PositionStatus::kExpired,
                 PositionStatus::kInvalid})
    EXPECT_EQ(parsePositionStatus(statusName(s)), s);
  EXPECT_FALSE(parsePositionStatus("PUBLISHED"));
  EXPECT_FALSE(parsePositionStatus("valid"));
}

TEST(PositionStatus, TheTransitionTableIsExactlyTheDocumentedOne) {
  using S = PositionStatus;
  using E = PositionEvent;
  const std::vector<S> states{S::kDraft,    S::kValid,   S::kPartiallyPaid, S::kPaid,
                              S::kReported, S::kExpired, S::kInvalid};
  const std::vector<E> events{E::kPublish,        E::kInvalidate,  E::kExpire,
                              E::kPartialPayment, E::kFullPayment, E::kReport};
  const std::map<std::pair<S, E>, S> allowed{
      {{S::kDraft, E::kPublish}, S::kValid},
      {{S::kDraft, E::kInvalidate}, S::kInvalid},
      {{S::kValid, E::kInvalidate}, S::kInvalid},
      {{S::kValid, E::kExpire}, S::kExpired},
      {{S::kValid, E::kPartialPayment}, S::kPartiallyPaid},
      {{S::kValid, E::kFullPayment}, S::kPaid},
      {{S::kPartiallyPaid, E::kPartialPayment}, S::kPartiallyPaid},
      {{S::kPartiallyPaid, E::kFullPayment}, S::kPaid},
      {{S::kPaid, E::kReport}, S::kReported},
      {{S::kExpired, E::kPartialPayment}, S::kPartiallyPaid},
      {{S::kExpired, E::kFullPayment}, S::kPaid},
  };
  for (S s : states)
    for (E e : events) {
      const auto it = allowed.find({s, e});
      const auto got = nextStatus(s, e);
      if (it == allowed.end())
        EXPECT_FALSE(got) << statusName(s) << " + " << eventName(e);
      else
        EXPECT_EQ(got, it->second) << statusName(s) << " + " << eventName(e);
    }
  // Final states, and no invalidation once money was collected.
  for (E e : events) {
    EXPECT_FALSE(nextStatus(S::kInvalid, e));
    EXPECT_FALSE(nextStatus(S::kReported, e));
  }
  EXPECT_FALSE(nextStatus(S::kPartiallyPaid, E::kInvalidate));
  EXPECT_FALSE(nextStatus(S::kPaid, E::kInvalidate));
  EXPECT_TRUE(isEditable(S::kDraft));
  EXPECT_FALSE(isEditable(S::kValid));
  EXPECT_TRUE(isPayable(S::kValid));
  EXPECT_TRUE(isPayable(S::kPartiallyPaid));
  EXPECT_FALSE(isPayable(S::kDraft));
  EXPECT_FALSE(isPayable(S::kExpired));
}

TEST(PositionRequest, AValidRequestIsReadAndNormalised) {
  auto p = positionFromJson(validBody(), cremona(), kToday);
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->ente, "019036");
  EXPECT_EQ(p->reference, "TARI-2026-0001");
  EXPECT_EQ(p->debtor.type, 'F');
  EXPECT_EQ(p->debtor.fiscal_code, "RSSMRA85T10A562S");
  EXPECT_EQ(p->debtor.province, "CR");
  ASSERT_EQ(p->options.size(), 1u);
  EXPECT_FALSE(p->options[0].instalment);
  ASSERT_EQ(p->options[0].transfers.size(), 1u);
  const Transfer& t = p->options[0].transfers[0];
  EXPECT_EQ(t.iban, "IT60X0542811101000000123456") << "the primary IBAN when none is given";
  EXPECT_FALSE(t.beneficiary_fiscal_code);
  EXPECT_TRUE(p->options[0].notice_number.empty()) << "assigned by the allocator, not here";
}

TEST(PositionRequest, InstalmentsAndMultiBeneficiaryTransfers) {
  json body = validBody();
  body["debtor"] = {{"type", "G"}, {"fiscal_code", "00318000197"}, {"name", "Rossi S.r.l."}};
  body["valid_until"] = "2027-12-31";
  json single = body["options"][0];
  single["transfers"] = json::array({{{"amount_cents", 9000},
                                      {"remittance", "TARI"},
                                      {"iban", "it42 k076 0111 4000 0001 2345 678"}},
                                     {{"amount_cents", 3000},
                                      {"remittance", "TEFA"},
                                      {"beneficiary_fiscal_code", "80002130195"},
                                      {"iban", "IT24D0542811101000000654321"}}});
  json rate = {{"amount_cents", 6000},
               {"due_date", "2027-01-31"},
               {"instalment", true},
               {"transfers", {{{"amount_cents", 6000}, {"remittance", "TARI rata"}}}}};
  body["options"] = {single, rate, rate};
  body["options"][2]["due_date"] = "2027-06-30";
  auto p = positionFromJson(body, cremona(), kToday);
  ASSERT_TRUE(p) << p.error().detail;
  ASSERT_EQ(p->options.size(), 3u);
  EXPECT_TRUE(p->options[1].instalment);
  EXPECT_EQ(p->options[0].transfers[0].iban, "IT42K0760111400000012345678");
  EXPECT_EQ(p->options[0].transfers[1].beneficiary_fiscal_code, "80002130195");
  EXPECT_EQ(p->options[0].transfers[1].seq, 2);
}

TEST(PositionRequest, EveryBadFieldIsNamed) {
  json body = validBody();
  body["reference"] = "TARI 2026";        // a space
  body["service_code"] = "9/0101108AP/";  // well-formed, not configured
  body["debtor"]["fiscal_code"] = "RSSMRA85T10A562T";
  body["debtor"]["email"] = "mario.rossi";
  body["options"][0]["due_date"] = "2026-11-26";  // yesterday
  body["options"][0]["transfers"] = {
      {{"amount_cents", 10000}, {"remittance", "TARI"}, {"iban", "IT60X0542811101000000123457"}},
      {{"amount_cents", 2000}, {"remittance", "altro"}, {"iban", "IT24D0542811101000000654321"}}};
  auto r = positionFromJson(body, cremona(), kToday);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_EQ(fieldsOf(r), (std::set<std::string>{"reference", "service_code", "debtor.fiscal_code",
                                                "debtor.email", "options[0].due_date",
                                                "options[0].transfers[0].iban",
                                                "options[0].transfers[1].iban"}));
}

TEST(PositionRequest, AmountsAreIntegerCentsOnly) {
  json body = validBody();
  body["options"][0]["amount_cents"] = 120.5;
  body["options"][0]["transfers"][0]["amount"] = 120;
  auto r = positionFromJson(body, cremona(), kToday);
  EXPECT_EQ(fieldsOf(r),
            (std::set<std::string>{"options[0].amount_cents", "options[0].transfers[0].amount"}));
  body = validBody();
  body["options"][0]["amount_cents"] = 0;
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            std::set<std::string>{"options[0].amount_cents"});
  body = validBody();
  body["options"][0]["transfers"][0]["amount_cents"] = 11999;
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            std::set<std::string>{"options[0].transfers"})
      << "the transfers must add up to the option";
}

TEST(PositionRequest, TransferAndPlanRules) {
  json body = validBody();
  json t = body["options"][0]["transfers"][0];
  t["amount_cents"] = 2000;
  body["options"][0]["transfers"] = json::array({t, t, t, t, t, t});
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            std::set<std::string>{"options[0].transfers"})
      << "at most 5 transfers";

  body = validBody();
  body["options"][0]["transfers"][0]["beneficiary_fiscal_code"] = "80002130195";
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            std::set<std::string>{"options[0].transfers[0].beneficiary_fiscal_code"})
      << "the first transfer is the ente's own";

  body = validBody();
  body["options"].push_back(body["options"][0]);
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            std::set<std::string>{"options[1].instalment"})
      << "one single payment at most";

  body = validBody();
  body["options"][0]["instalment"] = true;
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)), std::set<std::string>{"options"})
      << "a plan of one instalment";

  body = validBody();
  body["valid_until"] = "2027-01-30";
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            std::set<std::string>{"valid_until"})
      << "it would expire before its due date";

  EXPECT_EQ(
      fieldsOf(positionFromJson(json::object(), cremona(), kToday)),
      (std::set<std::string>{"reference", "description", "service_code", "debtor", "options"}));
}

TEST(PositionRequest, DebtorRules) {
  json body = validBody();
  body["debtor"] = {{"type", "G"}, {"fiscal_code", "RSSMRA85T10A562S"}, {"country", "ITA"}};
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            (std::set<std::string>{"debtor.fiscal_code", "debtor.name", "debtor.country"}));
  body["debtor"] = {{"type", "X"}, {"fiscal_code", "00318000197"}, {"name", "Ditta"}};
  EXPECT_EQ(fieldsOf(positionFromJson(body, cremona(), kToday)),
            std::set<std::string>{"debtor.type"});
}

TEST(IuvAllocator, BasesBecomeAux3NoticeNumbersWithCheckDigits) {
  EXPECT_EQ(iuvBaseOf(1), "0000000000001");
  EXPECT_EQ(iuvBaseOf(9'999'999'999'999), "9999999999999");
  auto n = makeNoticeNumber("01", iuvBaseOf(1));
  ASSERT_TRUE(n);
  EXPECT_EQ(n->digits, "301000000000000144");  // reference §1.5, self-computed vector
  EXPECT_EQ(n->iuv, "01000000000000144");
  EXPECT_TRUE(n->checkDigitOk());
}

}  // namespace
}  // namespace cst::payments
