// Uploads through the real server and a real clamd (supervised by `cst serve` with the project's
// offline test signatures): a clean file is stored, addressed by its SHA-256 and read back (the
// read is audited); an infected file, an unreachable scanner and an oversized body are refused
// with nothing stored; an upload is invisible to other enti and to other citizens.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/crypto.hpp"
#include "db/db.hpp"
#include "testkit/demo_suite.hpp"
#include "testkit/http_client.hpp"
#include "testkit/isolation.hpp"
#include "testkit/samples.hpp"
#include "testkit/server_process.hpp"

namespace cst::testkit {
namespace {

namespace fs = std::filesystem;

HttpResponse upload(HttpClient& c, const std::string& body, const std::string& filename = "x.txt",
                    const std::string& ente = "019036") {
  return c.request("POST", "/api/v1/uploads?ente=" + ente + "&filename=" + filename, body,
                   "text/plain");
}

// What the server has stored, read from outside it: rows in the uploads table and files in the
// blob store.
std::int64_t uploadRows(const ServerProcess& server) {
  const auto env = server.cliEnv();
  const auto url = env.count("CST_DATABASE_URL") ? env.at("CST_DATABASE_URL") : std::string();
  auto db = db::Database::open(url, server.dataDir(), 1);
  if (!db) {
    ADD_FAILURE() << db.error().detail;
    return -1;
  }
  auto rows = (*db)->query("SELECT COUNT(*) FROM uploads");
  if (!rows) {
    ADD_FAILURE() << rows.error().detail;
    return -1;
  }
  return rows->front().integer(0);
}

std::size_t filesUnder(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file()) ++n;
  return n;
}

struct Stored {
  std::int64_t rows;
  std::size_t objects;
  std::size_t temp;
  bool operator==(const Stored&) const = default;
};
Stored stored(const ServerProcess& server) {
  return {uploadRows(server), filesUnder(server.dataDir() / "blobs" / "objects"),
          filesUnder(server.dataDir() / "blobs" / "tmp")};
}
std::ostream& operator<<(std::ostream& os, const Stored& s) {
  return os << "{rows " << s.rows << ", objects " << s.objects << ", temp files " << s.temp << "}";
}

class Uploads : public DemoServerSuite<Uploads> {
 protected:
  void SetUp() override {
    HttpClient probe(server_->port());
    ASSERT_EQ(probe.get("/readyz").json()["scanner"], "ok")
        << "these tests need the supervised clamd:\n"
        << server_->log();
  }
};

TEST_F(Uploads, ACleanFileIsStoredAndReadBack) {
  HttpClient clerk = loggedIn(*server_, "impiegato.cremona");
  const std::string content = "Delibera di giunta n. 42 del 4 febbraio 2026\n";
  auto r = upload(clerk, content, "delibera.txt");
  ASSERT_EQ(r.status, 201) << r.body;
  const Json meta = r.json();
  EXPECT_EQ(meta["sha256"], sha256Hex(content));
  EXPECT_EQ(meta["size"], content.size());
  EXPECT_EQ(meta["filename"], "delibera.txt");
  EXPECT_EQ(meta["ente"], "019036");
  EXPECT_EQ(meta["content_type"], "text/plain");
  const std::string id = meta["id"];
  const std::string sha = meta["sha256"];
  EXPECT_TRUE(fs::exists(server_->dataDir() / "blobs" / "objects" / sha.substr(0, 2) /
                         sha.substr(2, 2) / sha))
      << "content-addressed by SHA-256";

  auto got = clerk.get("/api/v1/uploads/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json(), meta);

  auto content_read = clerk.get("/api/v1/uploads/" + id + "/content");
  ASSERT_EQ(content_read.status, 200) << content_read.body;
  EXPECT_EQ(content_read.body, content);
  EXPECT_EQ(content_read.header("content-type"), "text/plain");
  EXPECT_NE(content_read.header("content-disposition").find("delibera.txt"), std::string::npos);

  // The read of the content is in the audit log, with the reader and the object.
  HttpClient admin = loggedIn(*server_, "admin");
  const Json reads = admin.get("/api/v1/audit?action=upload.read&limit=200").json()["items"];
  int found = 0;
  for (const auto& e : reads)
    if (e["object_id"] == id) {
      ++found;
      EXPECT_EQ(e["actor"], "impiegato.cremona");
      EXPECT_EQ(e["ente"], "019036");
    }
  EXPECT_EQ(found, 1) << reads.dump();
  const Json creates = admin.get("/api/v1/audit?action=upload.create&limit=200").json()["items"];
  bool created = false;
  for (const auto& e : creates) created = created || e["object_id"] == id;
  EXPECT_TRUE(created);

  // The same content uploaded again is a new upload of the same blob.
  auto again = upload(clerk, content, "copia.txt");
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_NE(again.json()["id"], id);
  EXPECT_EQ(again.json()["sha256"], sha);
  EXPECT_EQ(clerk.get("/api/v1/uploads/does-not-exist").status, 404);
}

TEST_F(Uploads, AnInfectedFileIsRefusedAndNothingIsStored) {
  HttpClient clerk = loggedIn(*server_, "impiegato.cremona");
  const Stored before = stored(*server_);
  auto r = upload(clerk, eicar(), "fattura.txt");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  const Json problem = r.json();
  const std::string detail = problem["detail"];
  const auto colon = detail.rfind(": ");
  ASSERT_NE(colon, std::string::npos) << detail;
  const std::string signature = detail.substr(colon + 2);
  EXPECT_EQ(signature.rfind("Cst.Test.EICAR", 0), 0u) << detail;
  ASSERT_FALSE(problem["errors"].empty()) << r.body;
  EXPECT_EQ(problem["errors"][0]["field"], "file");
  EXPECT_NE(problem["errors"][0]["message"].get<std::string>().find(signature), std::string::npos);

  EXPECT_EQ(stored(*server_), before) << "an infected file leaves no trace in the store";

  // Embedded in a larger file, it is found just the same.
  auto embedded = upload(clerk, std::string(4000, 'a') + eicar() + std::string(4000, 'b'));
  EXPECT_EQ(embedded.status, 422) << embedded.body;
  EXPECT_EQ(stored(*server_), before);

  // The refusal itself is audited, naming the signature.
  HttpClient admin = loggedIn(*server_, "admin");
  const Json rejects = admin.get("/api/v1/audit?action=upload.reject").json()["items"];
  int found = 0;
  for (const auto& e : rejects)
    if (e["detail"]["filename"] == "fattura.txt") {
      ++found;
      EXPECT_EQ(e["outcome"], "denied");
      EXPECT_EQ(e["actor"], "impiegato.cremona");
      EXPECT_EQ(e["detail"]["signature"], signature);
    }
  EXPECT_EQ(found, 1) << rejects.dump();
}

TEST_F(Uploads, AnUploadIsInvisibleToAnotherEnte) {
  HttpClient clerk = loggedIn(*server_, "impiegato.cremona");
  auto r = upload(clerk, "Verbale riservato del Comune di Cremona\n", "verbale.txt");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = r.json()["id"];
  HttpClient crema = loggedIn(*server_, "ref.crema");
  expectIsolated(
      crema,
      {{"GET", "/api/v1/uploads/" + id, ""}, {"GET", "/api/v1/uploads/" + id + "/content", ""}},
      clerk, "/api/v1/uploads/" + id);
  // The outsider's attempts did not count as reads.
  HttpClient admin = loggedIn(*server_, "admin");
  const Json reads = admin.get("/api/v1/audit?action=upload.read&limit=200").json()["items"];
  for (const auto& e : reads) EXPECT_NE(e["object_id"], id) << e.dump();
  // Nor can Crema upload on Cremona's behalf.
  EXPECT_EQ(upload(crema, "x", "x.txt", "019036").status, 404);
}

// What a raw connection reads within `seconds`, until `until` appears (or the peer closes).
std::string readUntil(int fd, const std::string& until, int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  char buf[4096];
  while (got.find(until) == std::string::npos) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

// A plain TCP connection to the server, for requests HttpClient cannot shape.
int rawConnect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return fd;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends an upload with Transfer-Encoding: chunked (no Content-Length: the size is unknown until
// the end, as from a pipe) and returns the whole answer.
std::string chunkedUpload(int port, const std::string& token, const std::string& content) {
  const int fd = rawConnect(port);
  if (fd < 0) return "connect failed";
  std::string request =
      "POST /api/v1/uploads?ente=019036&filename=pipe.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Authorization: Bearer " +
      token + "\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t at = 0; at < content.size(); at += 700) {
    const std::string piece = content.substr(at, 700);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    request += size + piece + "\r\n";
  }
  request += "0\r\n\r\n";
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  const std::string answer = readUntil(fd, "}", 5);
  ::close(fd);
  return answer;
}

std::string apiToken(HttpClient& c) {
  auto token = c.post("/api/v1/tokens", {{"name", "prova"}});
  return token.status == 201 ? token.json()["token"].get<std::string>() : "";
}

TEST_F(Uploads, AChunkedBodyIsStoredWithTheHashOfItsContent) {
  HttpClient clerk = loggedIn(*server_, "impiegato.cremona");
  std::string content;
  for (int i = 0; i < 300; ++i) content += "Riga " + std::to_string(i) + " del registro\n";
  const std::string answer = chunkedUpload(server_->port(), apiToken(clerk), content);
  EXPECT_NE(answer.find("HTTP/1.1 201"), std::string::npos) << answer;
  EXPECT_NE(answer.find(sha256Hex(content)), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"size\":" + std::to_string(content.size())), std::string::npos) << answer;
}

TEST_F(Uploads, AClientThatAsksFor100ContinueGetsItBeforeSendingTheBody) {
  // curl asks for bodies over 1 MiB, .NET and PowerShell for every POST; without the interim
  // answer each such upload stalls for the client's timeout before the body is sent.
  HttpClient clerk = loggedIn(*server_, "impiegato.cremona");
  const std::string token = apiToken(clerk);
  ASSERT_FALSE(token.empty());
  const int fd = rawConnect(server_->port());
  ASSERT_GE(fd, 0);
  const std::string body = "Allegato inviato dopo 100 Continue\n";
  const std::string head =
      "POST /api/v1/uploads?ente=019036&filename=continua.txt HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\nAuthorization: Bearer " +
      token +
      "\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  const std::string interim = readUntil(fd, "\r\n\r\n", 5);
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << interim;
  ASSERT_EQ(::send(fd, body.data(), body.size(), 0), static_cast<ssize_t>(body.size()));
  const std::string answer = readUntil(fd, "\"sha256\"", 5);
  ::close(fd);
  EXPECT_NE(answer.find("HTTP/1.1 201"), std::string::npos) << answer;
  EXPECT_NE(answer.find(sha256Hex(body)), std::string::npos) << answer;
}

TEST_F(Uploads, CitizensSeeOnlyTheirOwnFiles) {
  HttpClient clerk = loggedIn(*server_, "impiegato.cremona");
  auto office = upload(clerk, "Documento dell'ufficio\n", "ufficio.txt");
  ASSERT_EQ(office.status, 201) << office.body;
  const std::string office_id = office.json()["id"];

  HttpClient citizen = loggedIn(*server_, "cittadino.bianchi");
  EXPECT_EQ(citizen.get("/api/v1/uploads/" + office_id).status, 404);
  EXPECT_EQ(citizen.get("/api/v1/uploads/" + office_id + "/content").status, 404);

  auto own = upload(citizen, "Domanda di contributo\n", "domanda.txt");
  ASSERT_EQ(own.status, 201) << own.body;
  const std::string own_id = own.json()["id"];
  EXPECT_EQ(citizen.get("/api/v1/uploads/" + own_id).status, 200);
  auto content = citizen.get("/api/v1/uploads/" + own_id + "/content");
  EXPECT_EQ(content.status, 200);
  EXPECT_EQ(content.body, "Domanda di contributo\n");

  // Another private user of the same ente does not see the citizen's file; the office does.
  HttpClient professional = loggedIn(*server_, "geometra.rossi");
  EXPECT_EQ(professional.get("/api/v1/uploads/" + own_id).status, 404);
  EXPECT_EQ(clerk.get("/api/v1/uploads/" + own_id).status, 200);
}

TEST(UploadsWithoutScanner, AreRefusedWith503AndNothingIsStored) {
  ServerProcess server(ServerOptions{.env = {{"CST_CLAMD", "unix:/nonexistent/clamd.sock"}}});
  server.start();
  HttpClient clerk = loggedIn(server, "impiegato.cremona");
  const Stored before = stored(server);
  auto r = upload(clerk, "Un file qualunque\n");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(stored(server), before);
  EXPECT_EQ(before.rows, 0);
  EXPECT_EQ(before.objects, 0u);
  HttpClient probe(server.port());
  auto ready = probe.get("/readyz");
  EXPECT_EQ(ready.status, 200) << "the rest of the service stays up";
  EXPECT_EQ(ready.json()["scanner"], "unavailable");
}

TEST(UploadLimit, ABodyOverTheConfiguredLimitIs413) {
  const fs::path config = fs::temp_directory_path() / ("cst-upload-limit-" + randomToken(6));
  std::ofstream(config) << "[server]\nupload_limit_bytes = 1024\n";
  {
    ServerProcess server(ServerOptions{.extra_args = {"--config", config.string()}});
    server.start();
    HttpClient clerk = loggedIn(server, "impiegato.cremona");
    const Stored before = stored(server);
    auto big = upload(clerk, std::string(1025, 'z'));
    EXPECT_EQ(big.status, 413) << big.body;
    EXPECT_EQ(big.header("content-type"), "application/problem+json");
    auto bigger = upload(clerk, std::string(8000, 'z'));
    EXPECT_EQ(bigger.status, 413) << bigger.body;
    // Without a Content-Length the limit is found while reading: still a 413, not a hang-up.
    const std::string chunked =
        chunkedUpload(server.port(), apiToken(clerk), std::string(3000, 'z'));
    EXPECT_EQ(chunked.rfind("HTTP/1.1 413", 0), 0u) << chunked;
    EXPECT_NE(chunked.find("application/problem+json"), std::string::npos) << chunked;
    EXPECT_EQ(stored(server), before);
    // At the limit is still accepted (the limit is inclusive) when the scanner is up.
    HttpClient probe(server.port());
    if (probe.get("/readyz").json()["scanner"] == "ok") {
      auto fits = upload(clerk, std::string(1024, 'z'));
      EXPECT_EQ(fits.status, 201) << fits.body;
    }
  }
  fs::remove(config);
}

}  // namespace
}  // namespace cst::testkit
