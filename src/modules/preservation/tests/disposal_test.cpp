// Retention and scarto end to end on the real `cst serve`: the retention table, which packages a
// proposal lists, the workflow proposed → approved → authorised → executed with each step's role,
// the content gone from both copies while shared objects, receipts, certificates and the record
// stay, the DIP refused afterwards; wrong order, other enti, cancellation.
#include "disposal.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "calendar/calendar.hpp"
#include "common/crypto.hpp"
#include "pdf/pdfa.hpp"
#include "sample_sips.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/pdf_facts.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;

const std::string kApi = "/api/v1/preservation";
const std::string kCremona = "019036";
const std::string kSharedJson = "{\"registrazioni\": [], \"condiviso\": true}";

class Disposal : public DemoServerSuite<Disposal> {
 protected:
  fs::path objectIn(int copy, const std::string& sha) const {
    return objectInCopy(*server_, copy, sha);
  }
  bool inBothCopies(const std::string& sha) const {
    return fs::exists(objectIn(1, sha)) && fs::exists(objectIn(2, sha));
  }
  bool inNoCopy(const std::string& sha) const {
    return !fs::exists(objectIn(1, sha)) && !fs::exists(objectIn(2, sha));
  }

  struct Offered {
    std::string aip_id, sip_id, pdf_sha256;
  };
  // A new AIP of `ente`: a fresh PDF/A and `json_form`, of `document_class`, registered on `date`
  // (Repertorio_Registro.DataRegistrazioneDocumento; empty: the sample's, from its production
  // time).
  static Offered offer(HttpClient& c, const std::string& ente, const std::string& document_class,
                       const std::string& date, const std::string& json_form = kSharedJson) {
    auto pdf = pdf::toPdfA2b(onePagePdf("Documento " + randomToken(6)), pdf::PdfAOptions{});
    EXPECT_TRUE(pdf.has_value());
    Json envelope = daiEnvelope(ente, sha256Hex(*pdf), sha256Hex(json_form));
    envelope["classe_documentale"] = document_class;
    if (!date.empty())
      envelope["metadati"]["DatiDiRegistrazione"]["TipoRegistro"]["Repertorio_Registro"]
              ["DataRegistrazioneDocumento"] = date;
    const std::string boundary = "disposal-boundary";
    std::string body;
    for (const auto& [name, file, type, bytes] :
         std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
             {"metadata", "", "application/json", envelope.dump()},
             {"documento", kRegisterPdf, "application/pdf", *pdf},
             {"documento", kRegisterJson, "application/json", json_form}})
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"" +
              (file.empty() ? "" : "; filename=\"" + file + "\"") + "\r\nContent-Type: " + type +
              "\r\n\r\n" + bytes + "\r\n";
    body += "--" + boundary + "--\r\n";
    auto r = c.request("POST", kApi + "/sips", body, "multipart/form-data; boundary=" + boundary);
    EXPECT_EQ(r.status, 201) << r.body;
    return {r.json().value("aip_id", ""), r.json().value("id", ""), sha256Hex(*pdf)};
  }

  static HttpResponse put(HttpClient& c, const std::string& ente, const Json& body) {
    return c.request("PUT", kApi + "/retention?ente=" + ente, body.dump());
  }
  static Json table(const std::vector<Json>& rules) {
    Json list = Json::array();
    for (const Json& r : rules) list.push_back(r);
    return {{"rules", list}};
  }
  // Today in Rome, as the server dates proposals and checks authorisations.
  static std::string today() {
    return calendar::formatDate(calendar::romeDate(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())));
  }
  static Json rule(const std::string& document_class, const Json& years) {
    return {{"document_class", document_class}, {"years", years}, {"note", "prova"}};
  }
  // The fields a problem+json names.
  static std::vector<std::string> fieldsOf(const HttpResponse& r) {
    std::vector<std::string> out;
    for (const Json& e : r.json().value("errors", Json::array())) out.push_back(e["field"]);
    return out;
  }
  static bool audited(const std::string& action, const std::string& object_id) {
    HttpClient admin = as("admin");
    const Json log = admin.get("/api/v1/audit?limit=200").json();
    for (const Json& e : log["items"])
      if (e["action"] == action && e["object_id"] == object_id) return true;
    return false;
  }
};

TEST_F(Disposal, TheRetentionTableIsReplacedWholeAndBadInputChangesNothing) {
  HttpClient ref = as("ref.cremona");
  const Json rules_in = table({rule("contratti", 10), rule("delibere", nullptr)});
  auto r = put(ref, kCremona, rules_in);
  ASSERT_EQ(r.status, 200) << r.body;
  auto got = ref.get(kApi + "/retention?ente=" + kCremona);
  ASSERT_EQ(got.status, 200) << got.body;
  const Json rules = got.json()["rules"];
  ASSERT_EQ(rules.size(), 2u) << got.body;
  EXPECT_EQ(rules[0]["document_class"], "contratti");
  EXPECT_EQ(rules[0]["years"], 10);
  EXPECT_TRUE(rules[1]["years"].is_null());  // permanente
  EXPECT_EQ(got.json()["updated_by"], "ref.cremona");
  EXPECT_TRUE(audited("preservation.retention.update", kCremona));

  struct Case {
    Json body;
    std::string field;
  };
  const std::vector<Case> bad{
      {table({rule("contratti", 0)}), "rules[0].years"},
      {table({rule("contratti", 101)}), "rules[0].years"},
      {table({rule("contratti", "10")}), "rules[0].years"},
      {table({rule("contratti", 2.5)}), "rules[0].years"},
      {table({rule("contratti", 5), rule("contratti", 7)}), "rules[1].document_class"},
      {table({rule("  ", 5)}), "rules[0].document_class"},
      {table({rule(std::string(101, 'x'), 5)}), "rules[0].document_class"},
      {table({Json{{"years", 5}}}), "rules[0].document_class"},
      {table({Json("contratti")}), "rules[0]"},
      {{{"regole", Json::array()}}, "rules"},
  };
  for (const Case& c : bad) {
    auto rejected = put(ref, kCremona, c.body);
    EXPECT_EQ(rejected.status, 400) << c.body.dump() << " " << rejected.body;
    const auto fields = fieldsOf(rejected);
    EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
        << c.body.dump() << " " << rejected.body;
  }
  // Every problem at once.
  EXPECT_EQ(fieldsOf(put(ref, kCremona, table({rule("", 5), rule("ok", 7), rule("x", -1)}))),
            (std::vector<std::string>{"rules[0].document_class", "rules[2].years"}));
  EXPECT_EQ(ref.get(kApi + "/retention?ente=" + kCremona).json()["rules"], rules);

  // An operator reads but does not keep the table; another ente's referent sees none of it.
  HttpClient clerk = as("impiegato.cremona");
  EXPECT_EQ(clerk.get(kApi + "/retention?ente=" + kCremona).status, 200);
  EXPECT_EQ(put(clerk, kCremona, rules_in).status, 403);
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(crema.get(kApi + "/retention?ente=" + kCremona).status, 404);
  EXPECT_EQ(put(crema, kCremona, {{"rules", Json::array()}}).status, 404);
  EXPECT_EQ(ref.get(kApi + "/retention?ente=" + kCremona).json()["rules"], rules);

  // The CST's administrator keeps any ente's table; an empty table keeps everything.
  HttpClient admin = as("admin");
  EXPECT_EQ(put(admin, kCremona, {{"rules", Json::array()}}).status, 200);
  EXPECT_TRUE(ref.get(kApi + "/retention?ente=" + kCremona).json()["rules"].empty());
  EXPECT_EQ(put(admin, "999999", {{"rules", Json::array()}}).status, 404);
}

TEST_F(Disposal, OnlyExpiredPackagesOfClassesWithAPeriodAreProposed) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient ref = as("ref.cremona");
  const std::string timed = "contratti-" + randomToken(3), kept = "delibere-" + randomToken(3),
                    unruled = "varie-" + randomToken(3);
  ASSERT_EQ(put(ref, kCremona, table({rule(timed, 10), rule(kept, nullptr)})).status, 200);
  const Offered old_timed = offer(clerk, kCremona, timed, "2010-03-01");
  const Offered recent_timed = offer(clerk, kCremona, timed, today());
  const Offered old_kept = offer(clerk, kCremona, kept, "2010-03-01");
  const Offered old_unruled = offer(clerk, kCremona, unruled, "2010-03-01");
  EXPECT_EQ(clerk.get(kApi + "/aips/" + old_timed.aip_id).json()["document_date"], "2010-03-01");
  EXPECT_EQ(clerk.get(kApi + "/aips/" + recent_timed.aip_id).json()["document_date"], today());

  auto due = clerk.get(kApi + "/disposals/due?ente=" + kCremona);
  ASSERT_EQ(due.status, 200) << due.body;
  ASSERT_EQ(due.json()["items"].size(), 1u) << due.body;
  EXPECT_EQ(due.json()["items"][0]["aip_id"], old_timed.aip_id);

  // Proposing is the referent's (or the CST's), for its own ente.
  EXPECT_EQ(clerk.post(kApi + "/disposals", {{"ente", kCremona}}).status, 403);
  HttpClient crema = as("ref.crema");
  EXPECT_EQ(crema.post(kApi + "/disposals", {{"ente", kCremona}}).status, 404);
  EXPECT_EQ(ref.post(kApi + "/disposals", {{"reason", "x"}}).status, 400);

  auto p = ref.post(kApi + "/disposals", {{"ente", kCremona}, {"reason", "Piano 2026"}});
  ASSERT_EQ(p.status, 201) << p.body;
  const Json d = p.json();
  EXPECT_EQ(d["state"], "proposed");
  EXPECT_EQ(d["reason"], "Piano 2026");
  EXPECT_EQ(d["created_by"], "ref.cremona");
  EXPECT_TRUE(d["authorisation"].is_null());
  ASSERT_EQ(d["items"].size(), 1u) << p.body;
  const Json item = d["items"][0];
  EXPECT_EQ(item["aip_id"], old_timed.aip_id);
  EXPECT_EQ(item["document_class"], timed);
  EXPECT_EQ(item["kind"], "documento_amministrativo_informatico");
  EXPECT_EQ(item["document_date"], "2010-03-01");
  EXPECT_EQ(item["retention_years"], 10);
  EXPECT_EQ(item["expired_on"], "2020-03-01");
  EXPECT_TRUE(item["deleted_objects"].is_null());
  ASSERT_EQ(item["documents"].size(), 2u);
  EXPECT_EQ(item["documents"][0]["sha256"], old_timed.pdf_sha256);
  EXPECT_GT(d["total_bytes"].get<std::int64_t>(), 0);
  const std::string id = d["id"];
  EXPECT_TRUE(audited("preservation.disposal.propose", id));

  // Listed, readable by the ente's offices, absent for another ente.
  auto listed = clerk.get(kApi + "/disposals?ente=" + kCremona);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["items"][0]["id"], id);
  EXPECT_EQ(clerk.get(kApi + "/disposals/" + id).json()["items"], d["items"]);
  EXPECT_EQ(crema.get(kApi + "/disposals/" + id).status, 404);
  EXPECT_EQ(crema.get(kApi + "/disposals?ente=" + kCremona).status, 404);
  EXPECT_EQ(clerk.get(kApi + "/disposals/nessuno").status, 404);

  // Nothing else is due: the one expired package is in this open proposal.
  auto again = ref.post(kApi + "/disposals", {{"ente", kCremona}});
  EXPECT_EQ(again.status, 422) << again.body;
  EXPECT_EQ(clerk.get(kApi + "/disposals/due?ente=" + kCremona).json()["items"][0]["disposal_id"],
            id);

  // Cancelled, with a reason: the package is free for the next proposal.
  auto no_reason = ref.post(kApi + "/disposals/" + id + "/cancel", Json::object());
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(fieldsOf(no_reason), std::vector<std::string>{"reason"});
  EXPECT_EQ(clerk.post(kApi + "/disposals/" + id + "/cancel", {{"reason", "x"}}).status, 403);
  EXPECT_EQ(crema.post(kApi + "/disposals/" + id + "/cancel", {{"reason", "x"}}).status, 404);
  auto cancelled =
      ref.post(kApi + "/disposals/" + id + "/cancel", {{"reason", "Classe da rivedere"}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json()["state"], "cancelled");
  EXPECT_EQ(cancelled.json()["cancel_reason"], "Classe da rivedere");
  EXPECT_TRUE(audited("preservation.disposal.cancel", id));
  auto twice = ref.post(kApi + "/disposals/" + id + "/cancel", {{"reason", "di nuovo"}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_NE(twice.json()["detail"].get<std::string>().find("cancelled"), std::string::npos);
  auto next = ref.post(kApi + "/disposals", {{"ente", kCremona}});
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(next.json()["items"][0]["aip_id"], old_timed.aip_id);
  EXPECT_EQ(ref.post(kApi + "/disposals/" + next.json()["id"].get<std::string>() + "/cancel",
                     {{"reason", "fine della prova"}})
                .status,
            200);
  // Nothing was destroyed by proposing or cancelling.
  EXPECT_TRUE(inBothCopies(old_timed.pdf_sha256));
  (void)old_kept;
  (void)old_unruled;
}

TEST_F(Disposal, TheWorkflowDestroysTheContentAndKeepsTheRecord) {
  HttpClient clerk = as("impiegato.cremona");
  HttpClient ref = as("ref.cremona");
  HttpClient admin = as("admin");
  HttpClient crema = as("ref.crema");
  const std::string cls = "pratiche-" + randomToken(3);
  ASSERT_EQ(put(ref, kCremona, table({rule(cls, 10)})).status, 200);
  // Both packages hold the same attachment: one object in the copies.
  const Offered old = offer(clerk, kCremona, cls, "2012-06-30");
  const Offered recent = offer(clerk, kCremona, cls, today());
  const Json aip = clerk.get(kApi + "/aips/" + old.aip_id).json();
  std::vector<std::string> own;  // the old package's objects no other package holds
  for (const Json& f : aip["files"])
    if (f["sha256"] != sha256Hex(kSharedJson)) own.push_back(f["sha256"]);
  ASSERT_EQ(own.size(), 5u) << aip.dump();  // pdf, metadati, indice, firma, marca
  for (const std::string& sha : own) ASSERT_TRUE(inBothCopies(sha)) << sha;
  ASSERT_TRUE(inBothCopies(sha256Hex(kSharedJson)));
  std::ifstream seal_file(server_->dataDir() / "keys" / "conservazione" / "seal-certificate.pem");
  const std::string seal_pem((std::istreambuf_iterator<char>(seal_file)), {});
  ASSERT_TRUE(inBothCopies(sha256Hex(seal_pem)));

  auto p = ref.post(kApi + "/disposals", {{"ente", kCremona}, {"reason", "Scarto 2026"}});
  ASSERT_EQ(p.status, 201) << p.body;
  ASSERT_EQ(p.json()["items"].size(), 1u) << p.body;
  const std::string id = p.json()["id"];
  const std::string at = kApi + "/disposals/" + id;
  const Json authorisation{{"authority",
                            "Soprintendenza archivistica e bibliografica della "
                            "Lombardia"},
                           {"reference", "prot. 1234/2026"},
                           {"date", today()}};

  // Out of order: nothing to authorise or execute before the ente approves.
  auto early = admin.post(at + "/execute", Json::object());
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_NE(early.json()["detail"].get<std::string>().find("proposed"), std::string::npos);
  EXPECT_EQ(admin.post(at + "/authorisation", authorisation).status, 409);

  // The ente approves: not the CST, not an operator, not another ente.
  EXPECT_EQ(admin.post(at + "/approve", Json::object()).status, 403);
  EXPECT_EQ(clerk.post(at + "/approve", Json::object()).status, 403);
  EXPECT_EQ(crema.post(at + "/approve", Json::object()).status, 404);
  auto approved = ref.post(at + "/approve", {{"note", "Visto il piano di conservazione"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()["state"], "approved");
  EXPECT_EQ(approved.json()["approved_by"], "ref.cremona");
  EXPECT_EQ(approved.json()["approval_note"], "Visto il piano di conservazione");
  EXPECT_EQ(ref.post(at + "/approve", Json::object()).status, 409);
  EXPECT_EQ(admin.post(at + "/execute", Json::object()).status, 409);

  // The CST records the Soprintendenza's authorisation; bad input names the field and changes
  // nothing.
  EXPECT_EQ(ref.post(at + "/authorisation", authorisation).status, 403);
  Json future = authorisation;
  future["date"] = "2099-01-01";
  auto rejected = admin.post(at + "/authorisation", future);
  EXPECT_EQ(rejected.status, 400);
  EXPECT_EQ(fieldsOf(rejected), std::vector<std::string>{"date"});
  Json before_proposal = authorisation;
  before_proposal["date"] = "2020-01-01";
  EXPECT_EQ(fieldsOf(admin.post(at + "/authorisation", before_proposal)),
            std::vector<std::string>{"date"});
  Json nameless = authorisation;
  nameless.erase("authority");
  nameless["reference"] = 12;
  EXPECT_EQ(fieldsOf(admin.post(at + "/authorisation", nameless)),
            std::vector<std::string>{"reference"});
  nameless["reference"] = "";
  EXPECT_EQ(fieldsOf(admin.post(at + "/authorisation", nameless)),
            (std::vector<std::string>{"authority", "reference"}));
  EXPECT_EQ(clerk.get(at).json()["state"], "approved");
  auto authorised = admin.post(at + "/authorisation", authorisation);
  ASSERT_EQ(authorised.status, 200) << authorised.body;
  EXPECT_EQ(authorised.json()["state"], "authorised");
  EXPECT_EQ(authorised.json()["authorisation"]["reference"], "prot. 1234/2026");
  EXPECT_EQ(authorised.json()["authorisation"]["date"], today());
  EXPECT_EQ(authorised.json()["authorisation"]["recorded_by"], "admin");
  // Once authorised it can only be carried out.
  EXPECT_EQ(ref.post(at + "/cancel", {{"reason", "ripensamento"}}).status, 409);

  // The CST carries it out.
  EXPECT_EQ(ref.post(at + "/execute", Json::object()).status, 403);
  EXPECT_EQ(crema.post(at + "/execute", Json::object()).status, 403);
  auto executed = admin.post(at + "/execute", Json::object());
  ASSERT_EQ(executed.status, 200) << executed.body;
  EXPECT_EQ(executed.json()["state"], "executed");
  EXPECT_EQ(executed.json()["executed_by"], "admin");
  EXPECT_EQ(executed.json()["items"][0]["deleted_objects"], 5);
  EXPECT_EQ(admin.post(at + "/execute", Json::object()).status, 409);

  // The content is gone from both copies; what other packages hold, the receipts and the
  // certificates stay.
  for (const std::string& sha : own) EXPECT_TRUE(inNoCopy(sha)) << sha;
  EXPECT_TRUE(inBothCopies(sha256Hex(kSharedJson)));
  EXPECT_TRUE(inBothCopies(sha256Hex(seal_pem)));
  EXPECT_EQ(clerk.get(kApi + "/sips/" + old.sip_id + "/receipt.xml").status, 200);

  // The record stays: the package with its files and hashes, and its disposal.
  auto record = clerk.get(kApi + "/aips/" + old.aip_id);
  ASSERT_EQ(record.status, 200);
  EXPECT_EQ(record.json()["disposal"]["id"], id);
  EXPECT_FALSE(record.json()["disposal"]["at"].get<std::string>().empty());
  EXPECT_EQ(record.json()["files"], aip["files"]);
  EXPECT_EQ(record.json()["index_sha256"], aip["index_sha256"]);
  auto dip = clerk.get(kApi + "/aips/" + old.aip_id + "/dip");
  EXPECT_EQ(dip.status, 409) << dip.body;
  EXPECT_NE(dip.json()["detail"].get<std::string>().find("scartato"), std::string::npos);
  EXPECT_EQ(clerk.get(kApi + "/aips/" + recent.aip_id + "/dip").status, 200);
  EXPECT_TRUE(clerk.get(kApi + "/aips/" + recent.aip_id).json()["disposal"].is_null());

  // Every step is in the audit log; nothing more is due.
  for (const char* step : {"preservation.disposal.propose", "preservation.disposal.approve",
                           "preservation.disposal.authorise", "preservation.disposal.execute"})
    EXPECT_TRUE(audited(step, id)) << step;
  EXPECT_TRUE(audited("preservation.aip.dispose", old.aip_id));
  EXPECT_EQ(ref.post(kApi + "/disposals", {{"ente", kCremona}}).status, 422);
  EXPECT_TRUE(clerk.get(kApi + "/disposals/due?ente=" + kCremona).json()["items"].empty());
  EXPECT_EQ(crema.get(at).status, 404);
}

TEST_F(Disposal, AnObjectAnotherEntesPackageHoldsIsKept) {
  HttpClient cremona = as("impiegato.cremona");
  HttpClient ref = as("ref.cremona");
  HttpClient admin = as("admin");
  HttpClient crema = as("ref.crema");
  const std::string cls = "atti-" + randomToken(3);
  const std::string attachment = "{\"allegato\": \"" + randomToken(8) + "\"}";
  ASSERT_EQ(put(ref, kCremona, table({rule(cls, 5)})).status, 200);
  const Offered mine = offer(cremona, kCremona, cls, "2015-01-15", attachment);
  const Offered theirs = offer(crema, "019035", cls, "2015-01-15", attachment);
  // Crema has no rule: its package is not due.
  EXPECT_EQ(ref.post(kApi + "/disposals", {{"ente", "019035"}}).status, 404);
  auto p = ref.post(kApi + "/disposals", {{"ente", kCremona}});
  ASSERT_EQ(p.status, 201) << p.body;
  ASSERT_EQ(p.json()["items"].size(), 1u);
  const std::string at = kApi + "/disposals/" + p.json()["id"].get<std::string>();
  ASSERT_EQ(ref.post(at + "/approve", Json::object()).status, 200);
  ASSERT_EQ(admin
                .post(at + "/authorisation", {{"authority", "Soprintendenza archivistica"},
                                              {"reference", "2026/77"},
                                              {"date", today()}})
                .status,
            200);
  auto executed = admin.post(at + "/execute", Json::object());
  ASSERT_EQ(executed.status, 200) << executed.body;
  EXPECT_TRUE(inNoCopy(mine.pdf_sha256));
  EXPECT_TRUE(inBothCopies(sha256Hex(attachment)));
  EXPECT_EQ(crema.get(kApi + "/aips/" + theirs.aip_id + "/dip").status, 200);
}

// The date retention runs from, for each kind of object (no server needed).
TEST(DisposalDates, RetentionRunsFromTheRegistrationOrClosingDateOrElseTheIngest) {
  using preservation::documentDate;
  const std::string ingest = "2026-06-30T22:30:00.000Z";  // 1 July in Rome
  const Json nessuno{
      {"DatiDiRegistrazione",
       {{"TipoRegistro",
         {{"Nessuno", {{"TipoRegistro", "Nessuno"}, {"DataDocumento", "2011-05-04"}}}}}}}};
  EXPECT_EQ(documentDate("documento_informatico", nessuno, ingest), "2011-05-04");
  const Json protocollo{{"DatiDiRegistrazione",
                         {{"TipoRegistro",
                           {{"ProtocolloOrdinario_ProtocolloEmergenza",
                             {{"DataProtocollazioneDocumento", "2012-01-31"},
                              {"NumeroProtocolloDocumento", "7"}}}}}}}};
  EXPECT_EQ(documentDate("documento_amministrativo_informatico", protocollo, ingest), "2012-01-31");
  EXPECT_EQ(documentDate("aggregazione",
                         {{"DataApertura", "2001-01-01"}, {"DataChiusura", "2003-12-31"}}, ingest),
            "2003-12-31");
  // An open fascicolo, a date that is not a day, no metadata: the ingest's Rome date.
  EXPECT_EQ(documentDate("aggregazione", {{"DataApertura", "2001-01-01"}}, ingest), "2026-07-01");
  Json wrong = nessuno;
  wrong["DatiDiRegistrazione"]["TipoRegistro"]["Nessuno"]["DataDocumento"] = "2011-02-30";
  EXPECT_EQ(documentDate("documento_informatico", wrong, ingest), "2026-07-01");
  EXPECT_EQ(documentDate("documento_informatico", Json::object(), ingest), "2026-07-01");
}

}  // namespace
}  // namespace cst::testkit
