// Tax-roll imports end to end: the real `cst serve` (demo: Cremona 019036 and Crema 019035 are
// configured creditors, segregation code 01), CSV bodies over HTTP, the positions and reports read
// back through the API.
#include <gtest/gtest.h>

#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "model.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/isolation.hpp"

namespace cst::testkit {
namespace {

const std::string kImports = "/api/v1/payments/imports";
const std::string kPositions = "/api/v1/payments/positions";
const std::string kHeader =
    "codice;descrizione;tassonomia;tipo_debitore;codice_fiscale;nominativo;comune;provincia;"
    "importo;scadenza;rata;causale\r\n";

// One row of kHeader's columns, debtor Mario Rossi of Cremona.
std::string row(const std::string& codice, const std::string& description,
                const std::string& amount, const std::string& due, const std::string& rata = "",
                const std::string& fiscal_code = "RSSMRA85T10A562S") {
  return codice + ";" + description + ";9/0101002IM/;F;" + fiscal_code +
         ";Mario Rossi;Cremona;CR;" + amount + ";" + due + ";" + rata + ";\r\n";
}

HttpResponse importCsv(HttpClient& c, const std::string& query, const std::string& csv) {
  return c.request("POST", kImports + "?" + query, csv, "text/csv");
}

// Every position of Cremona (all pages).
std::size_t countPositions(HttpClient& c) {
  std::size_t n = 0;
  std::string cursor;
  for (;;) {
    const Json page =
        c.get(kPositions + "?ente=019036&limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor))
            .json();
    n += page["items"].size();
    if (!page["next_cursor"].is_string()) return n;
    cursor = page["next_cursor"];
  }
}

// The positions whose description or debtor's name has `tag`, whole (options, timeline).
std::vector<Json> positionsTagged(HttpClient& c, const std::string& tag) {
  std::vector<Json> out;
  // Kept: a range-for over a member of a temporary would read a destroyed object.
  const Json page = c.get(kPositions + "?ente=019036&limit=200&q=" + tag).json();
  for (const auto& item : page["items"])
    out.push_back(c.get(kPositions + "/" + std::to_string(item["id"].get<std::int64_t>())).json());
  return out;
}

// The report's errors as "line column field" strings.
std::set<std::string> placed(const Json& report) {
  std::set<std::string> out;
  for (const auto& e : report["errors"])
    out.insert(std::to_string(e["line"].get<int>()) + " " +
               (e["column"].is_null() ? "-" : e["column"].get<std::string>()) + " " +
               (e["field"].is_null() ? "-" : e["field"].get<std::string>()));
  return out;
}

class Imports : public DemoServerSuite<Imports> {
 protected:
  void TearDown() override {
    if (!HasFailure()) return;
    const std::string log = server_->log();
    std::cerr << log.substr(log.size() > 8000 ? log.size() - 8000 : 0);
  }
};

TEST_F(Imports, AllOrNothingWithOneBadRowStoresNothingAndNamesLineAndColumn) {
  HttpClient clerk = as("impiegato.cremona");
  const std::size_t before = countPositions(clerk);
  const std::string csv =
      kHeader + row("AON-1", "Mensa AONTAG", "10,50", "31/01/2030") +
      row("AON-2", "Mensa AONTAG", "20", "2030-01-31") +
      row("AON-3", "Mensa AONTAG", "30.00", "31/01/2030", "", "RSSMRA85T10A562T") +
      row("AON-4", "Mensa AONTAG", "12,345", "31/01/2030");
  auto r = importCsv(clerk, "ente=019036&mode=all_or_nothing", csv);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json report = r.json();
  EXPECT_EQ(report["outcome"], "rejected");
  EXPECT_EQ(report["mode"], "all_or_nothing");
  EXPECT_EQ(report["ente"], "019036");
  EXPECT_EQ(report["by"], "impiegato.cremona");
  EXPECT_EQ(report["lines"], 5);
  EXPECT_EQ(report["rows"], 4);
  EXPECT_EQ(report["rows_accepted"], 0);
  EXPECT_EQ(report["rows_rejected"], 4);
  EXPECT_EQ(report["positions_created"], 0);
  EXPECT_EQ(report["positions_rejected"], 2);
  EXPECT_EQ(report["errors_total"], 2);
  EXPECT_EQ(placed(report),
            (std::set<std::string>{"4 codice_fiscale debtor.fiscal_code", "5 importo -"}));
  EXPECT_EQ(countPositions(clerk), before) << "nothing stored";
  EXPECT_EQ(clerk.get(kPositions + "?ente=019036&q=AONTAG").json()["items"].size(), 0u);

  // The report is kept, read back whole, listed, and its errors downloaded for the spreadsheet.
  const std::string url = kImports + "/" + std::to_string(report["id"].get<std::int64_t>());
  EXPECT_EQ(r.header("location"), url);
  auto again = clerk.get(url);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json(), report);
  auto list = clerk.get(kImports + "?ente=019036");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_FALSE(list.json()["items"].empty());
  EXPECT_EQ(list.json()["items"][0]["id"], report["id"]);
  EXPECT_FALSE(list.json()["items"][0].contains("errors"));
  auto csv_errors = clerk.get(url + "/errors.csv");
  ASSERT_EQ(csv_errors.status, 200) << csv_errors.body;
  EXPECT_EQ(csv_errors.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv_errors.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(csv_errors.body.rfind("\xEF\xBB\xBFriga;colonna;errore\r\n", 0), 0u);
  EXPECT_NE(csv_errors.body.find("\r\n4;codice_fiscale;codice fiscale non valido"),
            std::string::npos)
      << csv_errors.body;
  EXPECT_NE(csv_errors.body.find("\r\n5;importo;"), std::string::npos) << csv_errors.body;

  // The same file, corrected, goes in whole.
  std::string fixed = csv;
  fixed.replace(fixed.find("RSSMRA85T10A562T"), 16, "RSSMRA85T10A562S");
  fixed.replace(fixed.find("12,345"), 6, "12,34");
  auto ok = importCsv(clerk, "ente=019036&mode=all_or_nothing", fixed);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json()["outcome"], "completed");
  EXPECT_EQ(ok.json()["positions_created"], 4);
  EXPECT_EQ(ok.json()["rows_accepted"], 4);
  EXPECT_EQ(countPositions(clerk), before + 4);
  std::set<std::int64_t> amounts;
  for (const Json& p : positionsTagged(clerk, "AONTAG"))
    amounts.insert(p["amount_cents"].get<std::int64_t>());
  EXPECT_EQ(amounts, (std::set<std::int64_t>{1050, 2000, 3000, 1234}));
}

TEST_F(Imports, ValidRowsStoresTheGoodPositionsWithTheirNoticeNumbers) {
  HttpClient referent = as("ref.cremona");
  HttpClient admin = as("admin");
  const std::size_t before = countPositions(referent);
  // Two single payments, a bad row, a plan (single payment and two instalments) in three
  // consecutive rows, and a codice that comes back after other rows.
  const std::string csv = kHeader + row("VR-1", "Mensa VRTAG", "100", "31/01/2030") +
                          row("VR-2", "Mensa VRTAG", "200", "31/01/2030") +
                          row("VR-3", "Mensa VRTAG", "-5", "31/01/2030") +
                          row("VR-P", "Mensa VRTAG anno", "300", "31/01/2030") +
                          row("VR-P", "", "150", "31/01/2030", "1") +
                          row("VR-P", "Mensa VRTAG anno", "150", "30/06/2030", "2") +
                          row("VR-1", "Mensa VRTAG", "100", "31/01/2030");
  auto r = importCsv(referent, "ente=019036&mode=valid_rows", csv);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json report = r.json();
  EXPECT_EQ(report["outcome"], "partial");
  EXPECT_EQ(report["rows"], 7);
  EXPECT_EQ(report["rows_accepted"], 5);
  EXPECT_EQ(report["rows_rejected"], 2);
  EXPECT_EQ(report["rows_accepted"].get<int>() + report["rows_rejected"].get<int>(),
            report["rows"].get<int>());
  EXPECT_EQ(report["positions_created"], 3);
  EXPECT_EQ(report["positions_rejected"], 2);
  EXPECT_EQ(placed(report), (std::set<std::string>{"4 importo -", "8 codice -"}));
  bool names_both = false;
  for (const auto& e : report["errors"])
    names_both = names_both ||
                 e["message"].get<std::string>().find("già usato alla riga 2") != std::string::npos;
  EXPECT_TRUE(names_both) << report.dump(2);
  EXPECT_EQ(countPositions(referent), before + 3);

  const std::vector<Json> stored = positionsTagged(referent, "VRTAG");
  ASSERT_EQ(stored.size(), 3u);
  std::set<std::string> navs;
  std::size_t options = 0;
  for (const Json& p : stored) {
    EXPECT_EQ(p["status"], "DRAFT");
    EXPECT_EQ(p["created_by"], "ref.cremona");
    ASSERT_EQ(p["timeline"].size(), 1u);
    for (const auto& o : p["options"]) {
      const std::string nav = o["notice_number"];
      auto parsed = payments::parseNoticeNumber(nav);
      ASSERT_TRUE(parsed) << nav;
      EXPECT_TRUE(parsed->checkDigitOk()) << nav;
      EXPECT_EQ(parsed->segregation_code, "01");
      navs.insert(nav);
      ++options;
    }
    if (p["reference"] == "VR-P") {
      ASSERT_EQ(p["options"].size(), 3u);
      EXPECT_FALSE(p["options"][0]["instalment"].get<bool>());
      EXPECT_TRUE(p["options"][1]["instalment"].get<bool>());
      EXPECT_EQ(p["options"][1]["amount_cents"], 15000);
      EXPECT_EQ(p["options"][2]["due_date"], "2030-06-30");
      EXPECT_EQ(p["amount_cents"], 30000);
    }
    // Each position's creation is audited, naming its import.
    const Json audit = admin.get("/api/v1/audit?action=payments.position.create&limit=200").json();
    bool found = false;
    for (const auto& e : audit["items"])
      if (e["object_id"] == std::to_string(p["id"].get<std::int64_t>())) {
        found = true;
        EXPECT_EQ(e["detail"]["import_id"], report["id"]);
      }
    EXPECT_TRUE(found) << p["reference"];
  }
  EXPECT_EQ(options, 5u);
  EXPECT_EQ(navs.size(), 5u) << "every option its own notice number";

  // One audit entry for the import, with its totals.
  const Json audit = admin.get("/api/v1/audit?action=payments.import&limit=200").json();
  std::size_t entries = 0;
  for (const auto& e : audit["items"])
    if (e["object_id"] == std::to_string(report["id"].get<std::int64_t>())) {
      ++entries;
      EXPECT_EQ(e["ente"], "019036");
      EXPECT_EQ(e["actor"], "ref.cremona");
      EXPECT_EQ(e["detail"]["positions_created"], 3);
      EXPECT_EQ(e["detail"]["rows_rejected"], 2);
    }
  EXPECT_EQ(entries, 1u);
}

TEST_F(Imports, PublishMakesThePositionsPayableInTheSameImport) {
  HttpClient referent = as("ref.cremona");
  auto r = importCsv(referent, "ente=019036&mode=all_or_nothing&publish=true",
                     kHeader + row("PUB-1", "Mensa PUBTAG", "10", "31/01/2030") +
                         row("PUB-2", "Mensa PUBTAG", "20", "31/01/2030"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["outcome"], "completed");
  EXPECT_TRUE(r.json()["publish"].get<bool>());
  const std::vector<Json> stored = positionsTagged(referent, "PUBTAG");
  ASSERT_EQ(stored.size(), 2u);
  for (const Json& p : stored) {
    EXPECT_EQ(p["status"], "VALID");
    ASSERT_EQ(p["timeline"].size(), 2u);
    EXPECT_EQ(p["timeline"][1]["event"], "publish");
    EXPECT_EQ(p["timeline"][1]["actor"], "ref.cremona");
  }
}

TEST_F(Imports, ReadsCommasAByteOrderMarkAndQuotedLineBreaks) {
  HttpClient referent = as("ref.cremona");
  const std::string csv =
      "\xEF\xBB\xBF"
      "Codice,Descrizione,Tassonomia,Tipo Debitore,Codice Fiscale,Nominativo,Indirizzo,Importo,"
      "Scadenza\n"
      "CSV-1,\"Mensa CSVTAG, primo trimestre\",9/0101108TS/,F,RSSMRA85T10A562S,\"Rossi, "
      "Mario\",\"Via Roma 1\nscala B\",\"12,50\",31/01/2030\n"
      "CSV-2,Mensa CSVTAG,9/0101108TS/,F,RSSMRA85T10A562S,Mario Rossi,,7.5,31/01/2030\n"
      "CSV-3,Mensa CSVTAG,9/0101108TS/,F,RSSMRA85T10A562S,Mario Rossi,,7.505,31/01/2030\n";
  auto r = importCsv(referent, "ente=019036&mode=valid_rows", csv);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json report = r.json();
  EXPECT_EQ(report["lines"], 5) << "the quoted line break is a line of the file";
  EXPECT_EQ(report["positions_created"], 2);
  EXPECT_EQ(placed(report), std::set<std::string>{"5 importo -"}) << report.dump(2);
  std::set<std::int64_t> amounts;
  for (const Json& p : positionsTagged(referent, "CSVTAG")) {
    amounts.insert(p["amount_cents"].get<std::int64_t>());
    if (p["reference"] == "CSV-1") {
      EXPECT_EQ(p["debtor"]["name"], "Rossi, Mario");
      EXPECT_EQ(p["debtor"]["street"], "Via Roma 1\nscala B");
      EXPECT_EQ(p["service_code"], "9/0101108TS/");
    }
  }
  EXPECT_EQ(amounts, (std::set<std::int64_t>{1250, 750}));
}

TEST_F(Imports, AnotherEntesImportsAreNotFound) {
  HttpClient referent = as("ref.cremona");
  auto r = importCsv(referent, "ente=019036&mode=valid_rows",
                     kHeader + row("ISO-1", "Mensa ISOTAG", "10", "31/01/2030"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string url = kImports + "/" + std::to_string(r.json()["id"].get<std::int64_t>());
  HttpClient crema = as("ref.crema");
  const std::size_t before = countPositions(referent);
  auto foreign = importCsv(crema, "ente=019036&mode=valid_rows",
                           kHeader + row("ISO-2", "Mensa ISOTAG", "10", "31/01/2030"));
  EXPECT_EQ(foreign.status, 404) << foreign.body;
  EXPECT_EQ(countPositions(referent), before);
  expectIsolated(crema, {{"GET", url, ""}, {"GET", url + "/errors.csv", ""}}, referent, url);
  EXPECT_EQ(crema.get(kImports + "?ente=019036").status, 404);
  auto own = crema.get(kImports);
  ASSERT_EQ(own.status, 200);
  const Json own_page = own.json();
  for (const auto& item : own_page["items"]) EXPECT_EQ(item["ente"], "019035");
  // Their own roll, with their own creditor configuration.
  auto theirs = importCsv(crema, "ente=019035&mode=valid_rows",
                          kHeader + row("ISO-3", "Mensa ISOTAG", "10", "31/01/2030"));
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  EXPECT_EQ(theirs.json()["positions_created"], 1);
}

TEST_F(Imports, RolesWithoutTheRightAreRefused) {
  HttpClient referent = as("ref.cremona");
  auto r = importCsv(referent, "ente=019036&mode=valid_rows",
                     kHeader + row("ROLE-1", "Mensa ROLETAG", "10", "31/01/2030"));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string url = kImports + "/" + std::to_string(r.json()["id"].get<std::int64_t>());
  const std::string csv = kHeader + row("ROLE-2", "Mensa ROLETAG", "10", "31/01/2030");
  // The call centre and the auditor read reports but do not issue positions.
  for (const char* user : {"operatore", "revisore"}) {
    HttpClient c = as(user);
    EXPECT_EQ(importCsv(c, "ente=019036&mode=valid_rows", csv).status, 403) << user;
    EXPECT_EQ(c.get(url).status, 200) << user;
  }
  for (const char* user : {"cittadino.bianchi", "vigile.cremona"}) {
    HttpClient c = as(user);
    EXPECT_EQ(importCsv(c, "ente=019036&mode=valid_rows", csv).status, 403) << user;
    EXPECT_EQ(c.get(url).status, 403) << user;
    EXPECT_EQ(c.get(kImports).status, 403) << user;
  }
  HttpClient anonymous(server_->port());
  EXPECT_EQ(importCsv(anonymous, "ente=019036&mode=valid_rows", csv).status, 401);
  EXPECT_EQ(referent.get(kPositions + "?ente=019036&q=ROLETAG").json()["items"].size(), 1u);
}

TEST_F(Imports, AFileThatCannotBeReadIsAClearProblemAndStoresNothing) {
  HttpClient referent = as("ref.cremona");
  const auto imports = [&] { return referent.get(kImports + "?ente=019036").json()["items"]; };
  const Json before = imports();
  const auto problem = [&](const std::string& query, const std::string& csv) {
    auto r = importCsv(referent, query, csv);
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << r.body;
    return r;
  };

  // A missing column is named before any row is read.
  auto missing =
      problem("ente=019036&mode=valid_rows",
              "codice;descrizione;tassonomia;tipo_debitore;codice_fiscale;importo;"
              "scadenza;colore\r\nX;y;9/0101002IM/;F;RSSMRA85T10A562S;1;31/01/2030;z\r\n");
  ASSERT_EQ(missing.status, 400) << missing.body;
  std::set<std::string> fields;
  const Json missing_problem = missing.json();
  for (const auto& e : missing_problem["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"nominativo", "colore"}));
  EXPECT_NE(missing.json()["detail"].get<std::string>().find("intestazione"), std::string::npos);

  const std::string good = kHeader + row("BAD-1", "Mensa BADTAG", "10", "31/01/2030");
  auto mode = problem("ente=019036&mode=tutto", good);
  ASSERT_EQ(mode.status, 400);
  EXPECT_EQ(mode.json()["errors"][0]["field"], "mode");
  EXPECT_EQ(problem("ente=019036&mode=valid_rows&publish=si", good).status, 400);
  EXPECT_EQ(problem("mode=valid_rows", good).status, 400) << "ente is required";
  EXPECT_EQ(problem("ente=019036&mode=valid_rows", kHeader + "\r\n;;;;;;;;;;;\r\n").status, 400)
      << "no data rows";
  EXPECT_EQ(problem("ente=019036&mode=valid_rows", "").status, 400);
  auto unclosed = problem("ente=019036&mode=valid_rows",
                          kHeader + row("BAD-2", "Mensa BADTAG", "10", "31/01/2030") +
                              "BAD-3;\"Mensa BADTAG;9/0101002IM/\r\n");
  ASSERT_EQ(unclosed.status, 400) << unclosed.body;
  EXPECT_EQ(unclosed.json()["errors"][0]["field"], "riga 3");
  auto workbook = problem("ente=019036&mode=valid_rows", std::string("PK\x03\x04", 4) + "xl/");
  ASSERT_EQ(workbook.status, 400);
  EXPECT_NE(workbook.json()["detail"].get<std::string>().find("Excel"), std::string::npos);
  EXPECT_EQ(problem("ente=019098&mode=valid_rows", good).status, 404) << "not their ente";
  EXPECT_EQ(as("admin")
                .request("POST", kImports + "?ente=019098&mode=valid_rows", good, "text/csv")
                .status,
            422);
  // Over the size limit: refused without reading it.
  auto huge = problem("ente=019036&mode=valid_rows", kHeader + std::string(64 * 1024 * 1024, 'a'));
  EXPECT_EQ(huge.status, 413) << huge.body;
  EXPECT_NE(huge.json()["detail"].get<std::string>().find("64 MiB"), std::string::npos);

  EXPECT_EQ(imports(), before) << "no report for a file that was not read";
  EXPECT_EQ(referent.get(kPositions + "?ente=019036&q=BADTAG").json()["items"].size(), 0u);
}

}  // namespace
}  // namespace cst::testkit
