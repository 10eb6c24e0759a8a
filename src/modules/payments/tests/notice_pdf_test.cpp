// The payment notice PDF, read back as a person's tools would: pdftoppm rasterises it at 200 dpi,
// zbarimg decodes every QR code from the pictures, pdftotext extracts the text (poppler-utils and
// zbar-tools, scripts/setup.sh). First the renderer alone, then the endpoints of the real server.
#include "notice_pdf.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "model.hpp"
#include "model_position.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/isolation.hpp"

namespace cst::payments {
namespace {

namespace fs = std::filesystem;

// A directory of its own for each test, removed afterwards.
class Scratch {
 public:
  Scratch() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("cst-notice-" + std::to_string(::getpid()) + "-" +
                                        test->test_suite_name() + "-" + test->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() { fs::remove_all(dir_); }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

// Standard output of a shell command; its exit status in `status`.
std::string run(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  const int rc = ::pclose(pipe);
  if (status) *status = rc;
  return out;
}

fs::path writePdf(const Scratch& s, const std::string& bytes) {
  const fs::path file = s.dir() / "notice.pdf";
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
}

// Every QR code found on every page, as zbarimg decodes it from a 200 dpi rendering; sorted.
std::vector<std::string> decodedQrCodes(const std::string& pdf) {
  Scratch s;
  const fs::path file = writePdf(s, pdf);
  int status = 0;
  run("pdftoppm -r 200 -png '" + file.string() + "' '" + (s.dir() / "page").string() + "'",
      &status);
  EXPECT_EQ(status, 0) << "pdftoppm";
  // zbarimg complains on stderr that there is no D-Bus here; its stdout is what counts.
  const std::string out = run("zbarimg --raw -q '" + s.dir().string() + "'/page*.png 2>/dev/null");
  std::vector<std::string> codes;
  std::size_t from = 0;
  while (from < out.size()) {
    std::size_t end = out.find('\n', from);
    if (end == std::string::npos) end = out.size();
    if (end > from) codes.push_back(out.substr(from, end - from));
    from = end + 1;
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

std::string pdfText(const std::string& pdf) {
  Scratch s;
  return run("pdftotext -layout -enc UTF-8 '" + writePdf(s, pdf).string() + "' -");
}

// "Pages", "Title", ... as pdfinfo prints them.
std::string pdfInfo(const std::string& pdf, const std::string& key) {
  Scratch s;
  const std::string out = run("pdfinfo -enc UTF-8 '" + writePdf(s, pdf).string() + "'");
  const std::size_t at = out.find(key + ":");
  if (at == std::string::npos) return "";
  std::size_t value = out.find_first_not_of(' ', at + key.size() + 1);
  return out.substr(value, out.find('\n', value) - value);
}

int pages(const std::string& pdf) { return std::stoi("0" + pdfInfo(pdf, "Pages")); }

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

const Creditor& cremona() {
  static const Creditor c{"019036", "00297960197", "01", {}, {}, "", ""};
  return c;
}

PaymentOption option(int seq, bool instalment, std::int64_t cents, std::string due,
                     std::int64_t base) {
  PaymentOption o;
  o.seq = seq;
  o.instalment = instalment;
  o.amount_cents = cents;
  o.due_date = std::move(due);
  auto nav = makeNoticeNumber("01", iuvBaseOf(base));
  EXPECT_TRUE(nav);
  o.notice_number = nav->digits;
  o.iuv = nav->iuv;
  return o;
}

DebtPosition position(std::string reference, std::vector<PaymentOption> options) {
  DebtPosition p;
  p.id = 7;
  p.ente = "019036";
  p.reference = std::move(reference);
  p.status = PositionStatus::kValid;
  p.debtor.type = 'F';
  p.debtor.fiscal_code = "MZZNCC80A01D150X";
  p.debtor.name = "Niccolò Mazzà";
  p.debtor.street = "Via Solferino";
  p.debtor.civic_number = "1";
  p.debtor.postal_code = "26100";
  p.debtor.city = "Cremona";
  p.debtor.province = "CR";
  p.description = "Attività di refezione scolastica, anno 2026/2027";
  p.options = std::move(options);
  return p;
}

std::string payload(const PaymentOption& o) {
  return *qrPayload(o.notice_number, cremona().fiscal_code, o.amount_cents);
}

TEST(NoticeText, EuroAmountsAreExactItalianNotation) {
  EXPECT_EQ(formatEuro(0), "0,00 €");
  EXPECT_EQ(formatEuro(5), "0,05 €");
  EXPECT_EQ(formatEuro(18500), "185,00 €");
  EXPECT_EQ(formatEuro(123450), "1.234,50 €");
  EXPECT_EQ(formatEuro(100000000), "1.000.000,00 €");
  EXPECT_EQ(formatEuro(kMaxAmountCents), "999.999.999,99 €");
  EXPECT_EQ(formatEuro(-150), "-1,50 €");
}

TEST(NoticeText, DatesAndWindows1252) {
  EXPECT_EQ(formatItalianDate("2030-06-30"), "30/06/2030");
  EXPECT_EQ(formatItalianDate("30/06/2030"), "30/06/2030");
  EXPECT_EQ(formatItalianDate("2030-6-30"), "2030-6-30");
  EXPECT_EQ(toCp1252("àèéìòù ÀÈ €"), "\xE0\xE8\xE9\xEC\xF2\xF9 \xC0\xC8 \x80");
  EXPECT_EQ(toCp1252("l’anno “x” – …"),
            "l\x92"
            "anno \x93x\x94 \x96 \x85");
  EXPECT_EQ(toCp1252("a\tb\x01"), "a b ");
  EXPECT_EQ(toCp1252("東京"), "??");
  EXPECT_EQ(toCp1252("x\xC3"), "x?") << "a truncated sequence";
  EXPECT_EQ(toCp1252("\xC0\xAF"), "??") << "an overlong '/'";
  EXPECT_EQ(toCp1252("\xED\xA0\x80"), "???") << "a surrogate";
}

TEST(NoticePdf, ASinglePaymentHasItsQrCodeAndText) {
  const DebtPosition p = position("MENSA-1", {option(1, false, 18500, "2030-06-30", 42)});
  auto pdf = renderNoticePdf({"Comune di Cremona", cremona(), p});
  ASSERT_TRUE(pdf) << pdf.error().detail;
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_EQ(decodedQrCodes(*pdf), std::vector<std::string>{payload(p.options[0])});
  EXPECT_EQ(payload(p.options[0]),
            "PAGOPA|002|" + p.options[0].notice_number + "|00297960197|18500");
  EXPECT_EQ(pages(*pdf), 1);
  EXPECT_EQ(pdfInfo(*pdf, "Title"), "Avviso di pagamento MENSA-1");

  const std::string text = pdfText(*pdf);
  for (const std::string& expected :
       {formatNoticeNumber(p.options[0].notice_number), std::string("185,00 €"),
        std::string("30/06/2030"), std::string("Niccolò Mazzà"), std::string("MZZNCC80A01D150X"),
        std::string("Comune di Cremona"), std::string("00297960197"),
        std::string("Attività di refezione scolastica"), std::string("L'importo è aggiornato"),
        std::string("Rata unica"), std::string("Pagina 1 di 1")})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in:\n" << text;
  EXPECT_EQ(formatNoticeNumber(p.options[0].notice_number).size(), 22u)
      << "groups of four, as the layout wants (reference §3.3)";
}

TEST(NoticePdf, APlanHasOneQrCodePerOptionOverSeveralPages) {
  std::vector<PaymentOption> options{option(1, false, 120000, "2030-01-31", 100)};
  for (int i = 0; i < 8; ++i)
    options.push_back(
        option(i + 2, true, 15000, "2030-0" + std::to_string(i + 1) + "-28", 101 + i));
  const DebtPosition p = position("TARI-2030-1", options);
  auto pdf = renderNoticePdf({"Comune di Cremona", cremona(), p});
  ASSERT_TRUE(pdf) << pdf.error().detail;
  std::vector<std::string> expected;
  for (const PaymentOption& o : p.options) expected.push_back(payload(o));
  EXPECT_EQ(decodedQrCodes(*pdf), sorted(expected));
  const int n = pages(*pdf);
  EXPECT_GE(n, 2) << "nine blocks do not fit one page";
  const std::string text = pdfText(*pdf);
  for (const std::string& s :
       {std::string("1.200,00 €"), std::string("150,00 €"), std::string("Rata 1 di 8"),
        std::string("Rata 8 di 8"), std::string("28/08/2030"),
        std::string("oppure in 8 rate, per un totale di 1.200,00 €"),
        std::string("Pagina " + std::to_string(n) + " di " + std::to_string(n)),
        formatNoticeNumber(p.options[8].notice_number)})
    EXPECT_NE(text.find(s), std::string::npos) << s << " in:\n" << text;
}

TEST(NoticePdf, APlanWithoutASinglePaymentShowsTheTotal) {
  const DebtPosition p = position("PLAN-1", {option(1, true, 6000, "2030-01-31", 200),
                                             option(2, true, 6050, "2030-06-30", 201)});
  auto pdf = renderNoticePdf({"Comune di Cremona", cremona(), p});
  ASSERT_TRUE(pdf) << pdf.error().detail;
  EXPECT_EQ(decodedQrCodes(*pdf), sorted({payload(p.options[0]), payload(p.options[1])}));
  const std::string text = pdfText(*pdf);
  EXPECT_NE(text.find("120,50 €"), std::string::npos) << text;
  EXPECT_NE(text.find("La prima rata entro il 31/01/2030, l'ultima entro il 30/06/2030"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Rata unica"), std::string::npos) << text;
}

TEST(NoticePdf, ManyNoticesInOneDocumentEachStartOnANewPage) {
  const DebtPosition a = position("A-1", {option(1, false, 1600, "2030-06-30", 300)});
  DebtPosition b = position(
      "B-1", {option(1, true, 800, "2030-06-30", 301), option(2, true, 801, "2030-07-31", 302)});
  b.debtor.name = "Ditta Fratelli Bianchi S.r.l.";
  NoticeDocument doc("Avvisi di pagamento");
  ASSERT_TRUE(doc.add({"Comune di Cremona", cremona(), a}));
  ASSERT_TRUE(doc.add({"Comune di Cremona", cremona(), b}));
  EXPECT_EQ(doc.notices(), 2);
  auto pdf = doc.finish();
  ASSERT_TRUE(pdf) << pdf.error().detail;
  EXPECT_EQ(pages(*pdf), 2);
  EXPECT_EQ(decodedQrCodes(*pdf),
            sorted({payload(a.options[0]), payload(b.options[0]), payload(b.options[1])}));
  const std::string text = pdfText(*pdf);
  // pdftotext ends each page with a form feed: the second debtor is on the second page.
  const std::size_t page_break = text.find('\f');
  ASSERT_NE(page_break, std::string::npos);
  EXPECT_LT(text.find("Niccolò Mazzà"), page_break);
  EXPECT_GT(text.find("Ditta Fratelli Bianchi"), page_break);
}

TEST(NoticePdf, WhatCannotBePrintedIsAnError) {
  DebtPosition p = position("BAD-1", {option(1, false, 0, "2030-06-30", 400)});
  auto zero = renderNoticePdf({"Comune di Cremona", cremona(), p});
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::kBadInput);

  p.options.clear();
  auto none = renderNoticePdf({"Comune di Cremona", cremona(), p});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kBadInput);

  const DebtPosition ok = position("BAD-2", {option(1, false, 100, "2030-06-30", 401)});
  Creditor crema = cremona();
  crema.ente = "019035";
  auto other = renderNoticePdf({"Comune di Crema", crema, ok});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kInternal);

  NoticeDocument empty("vuoto");
  EXPECT_FALSE(empty.finish()) << "a PDF without pages";
}

TEST(NoticePdf, LongTextsAreWrappedOrShortenedNotLost) {
  DebtPosition p = position("LONG-1", {option(1, false, 99'999'999'999, "2030-06-30", 500)});
  p.description = std::string(140, 'W');
  p.debtor.name = "Maria " + std::string(64, 'M');
  auto pdf = renderNoticePdf({"Comune di Cremona", cremona(), p});
  ASSERT_TRUE(pdf) << pdf.error().detail;
  EXPECT_EQ(decodedQrCodes(*pdf), std::vector<std::string>{payload(p.options[0])});
  EXPECT_NE(pdfText(*pdf).find("999.999.999,99 €"), std::string::npos);
}

}  // namespace
}  // namespace cst::payments

// ---- The endpoints, against the real `cst serve --demo` ----------------------------------------

namespace cst::testkit {
namespace {

const std::string kPositions = "/api/v1/payments/positions";
const std::string kBulk = "/api/v1/payments/notices.pdf";

Json planBody(const std::string& reference, const std::string& debtor) {
  return {{"ente", "019036"},
          {"reference", reference},
          {"description", "Retta dell'asilo nido " + reference},
          {"service_code", "9/0101108TS/"},
          {"debtor",
           {{"type", "F"},
            {"fiscal_code", "RSSMRA85T10A562S"},
            {"name", debtor},
            {"city", "Cremona"},
            {"province", "CR"}}},
          {"options",
           {{{"amount_cents", 18500},
             {"due_date", "2030-06-30"},
             {"transfers", {{{"amount_cents", 18500}, {"remittance", "Retta"}}}}},
            {{"amount_cents", 9250},
             {"due_date", "2030-06-30"},
             {"instalment", true},
             {"transfers", {{{"amount_cents", 9250}, {"remittance", "Retta rata 1"}}}}},
            {{"amount_cents", 9250},
             {"due_date", "2030-09-30"},
             {"instalment", true},
             {"transfers", {{{"amount_cents", 9250}, {"remittance", "Retta rata 2"}}}}}}}};
}

Json singleBody(const std::string& reference, std::int64_t cents) {
  Json body = planBody(reference, "Giulia Verdi");
  body["options"] =
      Json::array({{{"amount_cents", cents},
                    {"due_date", "2030-06-30"},
                    {"transfers", {{{"amount_cents", cents}, {"remittance", "x"}}}}}});
  return body;
}

std::string urlOf(const Json& p) { return kPositions + "/" + std::to_string(p["id"].get<int>()); }

// The QR payloads a position's notice must carry: one per option, in the creditor's fiscal code.
std::vector<std::string> payloadsOf(const Json& p, const std::string& fiscal_code) {
  std::vector<std::string> out;
  for (const auto& o : p["options"])
    out.push_back(*payments::qrPayload(o["notice_number"].get<std::string>(), fiscal_code,
                                       o["amount_cents"].get<std::int64_t>()));
  return out;
}

std::set<std::string> errorFields(const HttpResponse& r) {
  std::set<std::string> out;
  const Json problem = r.json();
  for (const auto& e : problem["errors"]) out.insert(e["field"].get<std::string>());
  return out;
}

class Notices : public DemoServerSuite<Notices> {
 protected:
  void TearDown() override {
    if (!HasFailure()) return;
    const std::string log = server_->log();
    std::cerr << log.substr(log.size() > 8000 ? log.size() - 8000 : 0);
  }

  // Created and published by Cremona's referent.
  static Json published(HttpClient& c, const Json& body) {
    auto created = c.post(kPositions, body);
    EXPECT_EQ(created.status, 201) << created.body;
    auto r = c.post(urlOf(created.json()) + "/publish", Json::object());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
};

TEST_F(Notices, APublishedPositionsNoticeCarriesItsQrCodes) {
  HttpClient clerk = as("impiegato.cremona");
  const Json p = published(clerk, planBody("NIDO-1", "Niccolò Mazzà"));
  ASSERT_EQ(p["status"], "VALID");
  auto r = clerk.get(urlOf(p) + "/notice.pdf");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/pdf");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"avviso-NIDO-1.pdf\"");
  EXPECT_EQ(payments::decodedQrCodes(r.body), payments::sorted(payloadsOf(p, "00297960197")));
  const std::string text = payments::pdfText(r.body);
  for (const char* s :
       {"Comune di Cremona", "Niccolò Mazzà", "185,00 €", "92,50 €", "Rata 2 di 2", "30/09/2030"})
    EXPECT_NE(text.find(s), std::string::npos) << s;

  // Every reader of the position reads its notice; a single option names the file.
  const Json single = published(clerk, singleBody("NIDO-2", 1600));
  const std::string nav = single["options"][0]["notice_number"];
  for (const char* reader : {"ref.cremona", "operatore", "revisore", "admin"}) {
    HttpClient c = as(reader);
    auto n = c.get(urlOf(single) + "/notice.pdf");
    ASSERT_EQ(n.status, 200) << reader << ": " << n.body;
    EXPECT_EQ(n.header("content-disposition"), "attachment; filename=\"avviso-" + nav + ".pdf\"");
    EXPECT_EQ(payments::decodedQrCodes(n.body),
              std::vector<std::string>{"PAGOPA|002|" + nav + "|00297960197|1600"});
  }
}

TEST_F(Notices, OnlyPayablePositionsArePrinted) {
  HttpClient referent = as("ref.cremona");
  auto draft = referent.post(kPositions, singleBody("BOZZA-1", 2000));
  ASSERT_EQ(draft.status, 201) << draft.body;
  const std::string url = urlOf(draft.json());
  auto r = referent.get(url + "/notice.pdf");
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_NE(r.json()["detail"].get<std::string>().find(
                "pubblicare la posizione prima di stampare l'avviso"),
            std::string::npos)
      << r.body;

  const Json valid = published(referent, singleBody("ANNULLATA-1", 2000));
  ASSERT_EQ(
      referent.post(urlOf(valid) + "/invalidate", Json{{"reason", "emessa per errore"}}).status,
      200);
  auto invalid = referent.get(urlOf(valid) + "/notice.pdf");
  EXPECT_EQ(invalid.status, 409) << invalid.body;

  EXPECT_EQ(referent.get(kPositions + "/999999/notice.pdf").status, 404);
  EXPECT_EQ(referent.get(kPositions + "/abc/notice.pdf").status, 400);
  for (const char* user : {"cittadino.bianchi", "vigile.cremona"}) {
    HttpClient c = as(user);
    EXPECT_EQ(c.get(url + "/notice.pdf").status, 403) << user;
    EXPECT_EQ(c.get(kBulk).status, 403) << user;
  }
  HttpClient anonymous(server_->port());
  EXPECT_EQ(anonymous.get(url + "/notice.pdf").status, 401);
}

TEST_F(Notices, AnotherEntesNoticeIsNotFound) {
  HttpClient referent = as("ref.cremona");
  const Json p = published(referent, singleBody("ISO-PDF-1", 3000));
  HttpClient crema = as("ref.crema");
  auto position = crema.get(urlOf(p));
  auto notice = crema.get(urlOf(p) + "/notice.pdf");
  EXPECT_EQ(notice.status, 404);
  EXPECT_EQ(notice.status, position.status);
  EXPECT_EQ(notice.json()["detail"], position.json()["detail"]) << "indistinguishable";
  expectIsolated(crema, {{"GET", urlOf(p) + "/notice.pdf", ""}}, referent, urlOf(p));
  EXPECT_EQ(crema.get(kBulk + "?ente=019036").status, 404);
  auto own = crema.get(kBulk + "?q=ISO-PDF-1");
  EXPECT_EQ(own.status, 404) << "none of Crema's own match: " << own.body;
}

TEST_F(Notices, TheBulkPdfHoldsEveryMatchingNotice) {
  HttpClient referent = as("ref.cremona");
  const Json a = published(referent, singleBody("MASSIVA-1", 4100));
  const Json b = published(referent, singleBody("MASSIVA-2", 4200));
  ASSERT_EQ(referent.post(kPositions, singleBody("MASSIVA-3", 4300)).status, 201) << "a draft";

  auto r = referent.get(kBulk + "?ente=019036&q=MASSIVA-");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/pdf");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"avvisi-019036.pdf\"");
  std::vector<std::string> expected = payloadsOf(a, "00297960197");
  for (const std::string& s : payloadsOf(b, "00297960197")) expected.push_back(s);
  EXPECT_EQ(payments::decodedQrCodes(r.body), payments::sorted(expected));
  EXPECT_EQ(payments::pages(r.body), 2) << "each notice on its own page";

  // The list's filters, the same way: one notice by its number, the status named.
  const std::string nav = b["options"][0]["notice_number"];
  std::string printed;  // as on paper, spaces and all
  for (char c : payments::formatNoticeNumber(nav)) printed += c == ' ' ? "%20" : std::string(1, c);
  auto one = referent.get(kBulk + "?notice_number=" + printed + "&status=VALID");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(payments::decodedQrCodes(one.body), payloadsOf(b, "00297960197"));

  auto bad = referent.get(kBulk + "?status=pagata");
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(errorFields(bad), std::set<std::string>{"status"});
  auto draft = referent.get(kBulk + "?status=DRAFT&q=MASSIVA-");
  ASSERT_EQ(draft.status, 400) << draft.body;
  EXPECT_EQ(errorFields(draft), std::set<std::string>{"status"});
  auto nav_bad = referent.get(kBulk + "?notice_number=123");
  ASSERT_EQ(nav_bad.status, 400) << nav_bad.body;
  EXPECT_EQ(errorFields(nav_bad), std::set<std::string>{"notice_number"});
  EXPECT_EQ(errorFields(referent.get(kBulk + "?ente=19036")), std::set<std::string>{"ente"});

  auto none = referent.get(kBulk + "?q=nessuna-posizione-cosi");
  ASSERT_EQ(none.status, 404) << none.body;
  EXPECT_NE(none.json()["detail"].get<std::string>().find("nessun avviso da stampare"),
            std::string::npos);
}

}  // namespace
}  // namespace cst::testkit
