// Formats identified from real sample files, whatever their names, and the default policy of
// Allegato 2 (reference §3).
#include "format.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

#include "common/crypto.hpp"
#include "common/subprocess.hpp"
#include "pdf/pdfa.hpp"
#include "sign/timestamp.hpp"
#include "testkit/pdf_facts.hpp"

namespace cst::preservation {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A one-page PDF of this version; `extra` goes in as one more stream object (an XMP packet,
// padding).
std::string plainPdf(const std::string& version = "1.4", const std::string& extra = "") {
  return testkit::onePagePdf("Registro di prova", version, extra);
}

// A byte string literal with its NULs.
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

FileFormat known(const std::string& id) {
  for (const FileFormat& f : knownFormats())
    if (f.id == id) return f;
  ADD_FAILURE() << "no format " << id;
  return {};
}

std::string u16le(unsigned v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }
std::string u32le(unsigned v) { return u16le(v & 0xFFFF) + u16le(v >> 16); }
std::string u16be(unsigned v) { return {static_cast<char>(v >> 8), static_cast<char>(v & 0xFF)}; }
std::string u32be(unsigned v) { return u16be(v >> 16) + u16be(v & 0xFFFF); }

// A 1×1 grey TIFF: header, one IFD (width, height, compression, strip offset and size), pixel.
std::string tiff(bool big_endian, unsigned compression) {
  auto u16 = big_endian ? u16be : u16le;
  auto u32 = big_endian ? u32be : u32le;
  auto entry = [&](unsigned tag, unsigned type, unsigned value) {
    std::string e = u16(tag) + u16(type) + u32(1);
    return e + (type == 3 ? u16(value) + u16(0) : u32(value));
  };
  const unsigned entries = 5, pixel = 8 + 2 + entries * 12 + 4;
  std::string t = big_endian ? std::string("MM\0*", 4) : std::string("II*\0", 4);
  t += u32(8) + u16(entries) + entry(256, 3, 1) + entry(257, 3, 1) + entry(259, 3, compression) +
       entry(273, 4, pixel) + entry(279, 4, 1) + u32(0);
  return t + std::string(1, '\x80');
}

std::string wav(unsigned format_tag) {
  const std::string fmt =
      u16le(format_tag) + u16le(1) + u32le(8000) + u32le(16000) + u16le(2) + u16le(16);
  const std::string body =
      "WAVE" + std::string("fmt ") + u32le(16) + fmt + "data" + u32le(2) + std::string(2, '\0');
  return "RIFF" + u32le(static_cast<unsigned>(body.size())) + body;
}

class FormatIdentify : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cst-format-" + std::to_string(::getpid()) + "-" + randomToken(4));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& name, std::string_view bytes) {
    const fs::path p = dir_ / name;
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  FileFormat of(const fs::path& p) {
    auto f = identify(p);
    EXPECT_TRUE(f.has_value()) << p << ": " << (f ? "" : f.error().detail);
    return f ? *f : FileFormat{};
  }
  std::string idOf(const std::string& name, std::string_view bytes) {
    return of(write(name, bytes)).id;
  }

  // A zip made by Python's zipfile: entries (name, content, stored?) in this order.
  struct Entry {
    std::string name, content;
    bool stored = false;
  };
  fs::path zip(const std::string& name, const std::vector<Entry>& entries) {
    std::vector<std::string> argv{
        "python3", "-c",
        "import sys, zipfile\n"
        "a = sys.argv[2:]\n"
        "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
        "    for i in range(0, len(a), 3):\n"
        "        m = zipfile.ZIP_STORED if a[i + 1] == 'stored' else zipfile.ZIP_DEFLATED\n"
        "        z.write(a[i + 2], a[i], compress_type=m)\n",
        (dir_ / name).string()};
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const fs::path src = write("entry-" + std::to_string(i), entries[i].content);
      argv.insert(argv.end(),
                  {entries[i].name, entries[i].stored ? "stored" : "deflated", src.string()});
    }
    auto run = runProcess(argv, 30s);
    EXPECT_TRUE(run && run->exit_code == 0) << (run ? run->output : run.error().detail);
    return dir_ / name;
  }

  // `doc` signed with CMS by "Firma di prova" (a key made at first use) into `out`; `extra`:
  // openssl cms options (-nodetach for a .p7m, -outform DER|PEM).
  fs::path envelope(const fs::path& doc, const std::string& out,
                    const std::vector<std::string>& extra) {
    const fs::path key = dir_ / "key.pem", cert = dir_ / "cert.pem";
    if (!fs::exists(key)) {
      auto made = runProcess({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.string(),
                              "-out", cert.string(), "-subj", "/CN=Firma di prova", "-days", "1"},
                             30s);
      EXPECT_TRUE(made && made->exit_code == 0) << (made ? made->output : made.error().detail);
    }
    std::vector<std::string> argv{"openssl", "cms",        "-sign",   "-binary",
                                  "-in",     doc.string(), "-signer", cert.string(),
                                  "-inkey",  key.string(), "-out",    (dir_ / out).string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto r = runProcess(argv, 30s);
    EXPECT_TRUE(r && r->exit_code == 0) << (r ? r->output : r.error().detail);
    return dir_ / out;
  }

  fs::path dir_;
};

TEST_F(FormatIdentify, PlainPdfHasTheVersionOfItsHeaderAndIsNotAccepted) {
  const FileFormat f = of(write("registro.pdf", plainPdf("1.4")));
  EXPECT_EQ(f.id, "pdf-1.4");
  EXPECT_EQ(f.puid, "fmt/18");
  EXPECT_EQ(f.mime, "application/pdf");
  EXPECT_EQ(idOf("v17.bin", plainPdf("1.7")), "pdf-1.7");
  EXPECT_EQ(idOf("v20", plainPdf("2.0")), "pdf-2.0");
  EXPECT_FALSE(FormatPolicy::defaults().accepts(f)) << "Allegato 2: PDF only as PDF/A";
}

TEST_F(FormatIdentify, PdfA2bMadeByGhostscriptIsPdfA2b) {
  pdf::PdfAOptions options;
  options.work_dir = dir_;
  auto pdfa = pdf::toPdfA2b(plainPdf("1.4"), options);
  ASSERT_TRUE(pdfa.has_value()) << pdfa.error().detail;
  const FileFormat f = of(write("documento", *pdfa));
  EXPECT_EQ(f.id, "pdfa-2b");
  EXPECT_EQ(f.name, "PDF/A-2b");
  EXPECT_EQ(f.puid, "fmt/477");
  EXPECT_TRUE(FormatPolicy::defaults().accepts(f));
}

TEST_F(FormatIdentify, PdfAClaimAsElementsFarFromBothEndsIsFound) {
  // The XMP in element form, with its own prefix, straddling the 1 MiB steps of the scan and
  // more than 64 KiB from either end of the file.
  const std::string xmp =
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
      "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n<rdf:Description "
      "rdf:about=\"\" xmlns:id = 'http://www.aiim.org/pdfa/ns/id/'>\n" +
      std::string(3000, ' ') + "<id:part>1</id:part>\n  <id:conformance>A</id:conformance>\n" +
      "</rdf:Description></rdf:RDF></x:xmpmeta>";
  const std::size_t before = (1u << 20) - 900 - 200;
  const std::string pdf =
      plainPdf("1.4", std::string(before, 'x') + xmp + std::string(300000, 'y'));
  ASSERT_LT(pdf.find("http://www.aiim.org/pdfa/ns/id/"), std::size_t{1} << 20);
  ASSERT_GT(pdf.find("<id:part>"), std::size_t{1} << 20);
  const FileFormat f = of(write("a.pdf", pdf));
  EXPECT_EQ(f.id, "pdfa-1a");
  EXPECT_EQ(f.puid, "fmt/95");
}

TEST_F(FormatIdentify, PdfANamespaceWithoutAValidClaimIsPlainPdf) {
  // The namespace named in an extension schema (not declared), and a claim of a level part 2
  // does not have: neither makes a PDF/A.
  const std::string schema =
      "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfa/ns/id/</pdfaSchema:namespaceURI>";
  EXPECT_EQ(idOf("s.pdf", plainPdf("1.7", schema)), "pdf-1.7");
  const std::string bad =
      "<rdf:Description xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"2\" "
      "pdfaid:conformance=\"Z\"/>";
  EXPECT_EQ(idOf("z.pdf", plainPdf("1.7", bad)), "pdf-1.7");
  const std::string attrs =
      "<rdf:Description pdfaid:conformance='U' pdfaid:part='3' "
      "xmlns:pdfaid='http://www.aiim.org/pdfa/ns/id/'/>";
  EXPECT_EQ(idOf("u.pdf", plainPdf("1.7", attrs)), "pdfa-3u");
}

TEST_F(FormatIdentify, TheNameDoesNotMatterOnlyTheContent) {
  const FileFormat f = of(write("contratto.pdf", "Questo non è un PDF: è testo.\nSeconda riga.\n"));
  EXPECT_EQ(f.id, "text");
  EXPECT_EQ(f.mime, "text/plain");
  EXPECT_EQ(idOf("foto.jpg", plainPdf()), "pdf-1.4");
  // Readers accept a header within the first 1024 bytes.
  EXPECT_EQ(idOf("preambolo", "Stampato da scanner X\n" + plainPdf("1.5")), "pdf-1.5");
  EXPECT_EQ(idOf("nota.pdf", "Un PDF inizia con %PDF-1.7 e finisce con il trailer.\n"), "text");
  EXPECT_EQ(idOf("vuoto.pdf", ""), "unknown");
}

TEST_F(FormatIdentify, TextIsUtf8OrAsciiAndCsvIsText) {
  const FileFormat csv = of(write("elenco.csv", "nome;cognome\r\nMario;Rossi\r\n"));
  EXPECT_EQ(csv.id, "text");
  EXPECT_EQ(csv.name, "Testo semplice (ASCII)");
  EXPECT_EQ(csv.puid, "x-fmt/111");
  EXPECT_EQ(of(write("nota", "Perché sì: 10 €\n")).name, "Testo semplice (UTF-8)");
  // Windows-1252 / Latin-1 bytes do not say their charset: not text the platform can read back.
  EXPECT_EQ(idOf("latin1.txt", "caff\xe8 e tisane\n"), "unknown");
  EXPECT_EQ(idOf("binario.txt", bytes("ab\0cd\x01\x02")), "unknown");
  // A long text whose head is cut in the middle of a character is still text.
  std::string longer(64 * 1024 - 1, 'a');
  longer += "è" + std::string(100000, 'b') + "\nfine è\n";
  EXPECT_EQ(idOf("lungo.txt", longer), "text");
  EXPECT_EQ(idOf("rtf.txt", "{\\rtf1\\ansi ciao}"), "rtf");
}

TEST_F(FormatIdentify, XmlWithOrWithoutDeclarationOrBom) {
  EXPECT_EQ(idOf("a", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Fattura><N>1</N></Fattura>"),
            "xml");
  EXPECT_EQ(idOf("b", "\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>"), "xml");
  EXPECT_EQ(
      idOf("c", "  <!-- segnatura -->\n<prot:Segnatura xmlns:prot=\"urn:x\"><x/></prot:Segnatura>"),
      "xml");
  // The declaration names the encoding: Latin-1 bytes are fine.
  EXPECT_EQ(idOf("d", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caff\xe8</a>"), "xml");
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>")) {
    utf16 += c;
    utf16 += '\0';
  }
  EXPECT_EQ(idOf("e", utf16), "xml");
  // A XAdES signature is XML.
  EXPECT_EQ(idOf("f",
                 "<?xml version=\"1.0\"?><ds:Signature "
                 "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo/>"
                 "</ds:Signature>"),
            "xml");
  // Not well formed and undeclared: text.
  EXPECT_EQ(idOf("g", "<nota> da completare\n"), "text");
  const FileFormat x = of(write("h.xml", "<a/>"));
  EXPECT_EQ(x.puid, "fmt/101");
  EXPECT_TRUE(FormatPolicy::defaults().accepts(x));
}

TEST_F(FormatIdentify, SvgAndHtmlAreTheirOwnFormats) {
  const FileFormat svg =
      of(write("disegno.xml",
               "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "version=\"1.1\" width=\"10\" height=\"10\"><rect/></svg>"));
  EXPECT_EQ(svg.id, "svg");
  EXPECT_EQ(svg.puid, "fmt/92");
  EXPECT_EQ(svg.mime, "image/svg+xml");
  EXPECT_EQ(idOf("s2", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "svg");
  EXPECT_EQ(idOf("p.txt", "<!DOCTYPE html>\n<html><body><p>Ciao</body></html>"), "html");
  EXPECT_EQ(idOf("q",
                 "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 "
                 "Strict//EN\" \"x.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\"/>"),
            "html");
  EXPECT_EQ(idOf("r", "<HTML><BODY>caff\xe8</BODY></HTML>"), "html");
  EXPECT_FALSE(FormatPolicy::defaults().accepts(svg));
  EXPECT_FALSE(FormatPolicy::defaults().accepts(known("html")));
}

TEST_F(FormatIdentify, JsonObjectsAndArrays) {
  EXPECT_EQ(idOf("a", "{\"ente\": \"019036\", \"anni\": [2024, 2025]}\n"), "json");
  EXPECT_EQ(idOf("b", "\xEF\xBB\xBF[1, 2, {\"a\": null}]"), "json");
  EXPECT_EQ(idOf("c", "[1, 2"), "text");
  std::string big = "[";
  for (int i = 0; i < 20000; ++i)
    big += (i ? "," : "") + std::string("{\"n\": ") + std::to_string(i) + "}";
  big += "]\n";
  EXPECT_EQ(idOf("grande", big), "json");
}

TEST_F(FormatIdentify, MailMessagesAndMailboxes) {
  const std::string headers =
      "Return-Path: <a@example.it>\r\nFrom: Ufficio <a@example.it>\r\nTo: b@example.it\r\n"
      "Subject: Richiesta\r\n =?UTF-8?Q?continua?=\r\nDate: Tue, 1 Apr 2025 10:00:00 +0200\r\n";
  const FileFormat mime = of(write("m", headers + "MIME-Version: 1.0\r\n\r\nTesto\r\n"));
  EXPECT_EQ(mime.id, "eml");
  EXPECT_EQ(mime.puid, "fmt/950");
  const FileFormat plain = of(write("n", headers + "\r\nTesto\r\n"));
  EXPECT_EQ(plain.id, "eml");
  EXPECT_EQ(plain.puid, "fmt/278");
  EXPECT_EQ(idOf("box", "From a@example.it Tue Apr  1 10:00:00 2025\n" + headers + "\r\nx\n"),
            "mbox");
  EXPECT_EQ(idOf("nota", "From: Mario\n\nciao\n"), "text");
  EXPECT_TRUE(FormatPolicy::defaults().accepts(mime));
}

TEST_F(FormatIdentify, Images) {
  const std::string png = bytes("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\1\0\0\0\1\x08\0\0\0\0");
  EXPECT_EQ(idOf("a.jpg", png), "png");
  const std::string jfif = bytes("\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9");
  const FileFormat jpeg = of(write("b.png", jfif));
  EXPECT_EQ(jpeg.id, "jpeg");
  EXPECT_EQ(jpeg.puid, "fmt/43");
  EXPECT_EQ(idOf("c", bytes("GIF89a\x01\0\x01\0")), "gif");
  EXPECT_EQ(idOf("d", tiff(false, 1)), "tiff");
  EXPECT_EQ(idOf("e", tiff(true, 1)), "tiff");
  EXPECT_EQ(idOf("f", tiff(false, 5)), "tiff-compressed");  // LZW
  EXPECT_EQ(idOf("g", tiff(true, 4)), "tiff-compressed");   // CCITT G4
  const FormatPolicy p = FormatPolicy::defaults();
  EXPECT_TRUE(p.accepts(known("png")));
  EXPECT_TRUE(p.accepts(jpeg));
  EXPECT_TRUE(p.accepts(known("tiff")));
  EXPECT_FALSE(p.accepts(known("tiff-compressed")));
  EXPECT_FALSE(p.accepts(known("gif")));
}

TEST_F(FormatIdentify, WavUncompressedOrNot) {
  EXPECT_EQ(idOf("a", wav(1)), "wav");
  EXPECT_EQ(idOf("b", wav(0x55)), "wav-compressed");  // MPEG layer 3 inside RIFF
}

TEST_F(FormatIdentify, OpenDocumentFromItsStoredMimetype) {
  const std::string content =
      "<?xml version=\"1.0\"?><office:document-content "
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "office:version=\"1.2\"><office:body/></office:document-content>";
  const FileFormat odt =
      of(zip("a.zip", {{"mimetype", "application/vnd.oasis.opendocument.text", true},
                       {"META-INF/manifest.xml", "<manifest/>"},
                       {"content.xml", content}}));
  EXPECT_EQ(odt.id, "odt");
  EXPECT_EQ(odt.name, "OpenDocument Testo 1.2");
  EXPECT_EQ(odt.puid, "fmt/291");
  EXPECT_TRUE(FormatPolicy::defaults().accepts(odt));
  EXPECT_EQ(of(zip("b.odt", {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", true},
                             {"content.xml", content}}))
                .id,
            "ods");
  EXPECT_EQ(of(zip("c", {{"mimetype", "application/vnd.oasis.opendocument.graphics", true}})).id,
            "odg");
  // ODF requires the mimetype stored: deflated, the package is just a zip.
  EXPECT_EQ(of(zip("d.odt", {{"mimetype", "application/vnd.oasis.opendocument.text", false},
                             {"content.xml", content}}))
                .id,
            "zip");
  const FileFormat plain = of(zip("e.odt", {{"leggimi.txt", "ciao"}}));
  EXPECT_EQ(plain.id, "zip");
  EXPECT_EQ(plain.puid, "x-fmt/263");
  EXPECT_FALSE(FormatPolicy::defaults().accepts(plain));
}

TEST_F(FormatIdentify, OfficeOpenXmlStrictOrTransitional) {
  const std::string types =
      "<?xml version=\"1.0\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  auto rels = [](const std::string& base) {
    return "<?xml version=\"1.0\"?><Relationships "
           "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
           "Id=\"rId1\" Type=\"" +
           base + "/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
  };
  const std::string transitional =
      "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string strict = "http://purl.oclc.org/ooxml/officeDocument/relationships";
  const FileFormat docx = of(zip("a.odt", {{"[Content_Types].xml", types},
                                           {"_rels/.rels", rels(transitional)},
                                           {"word/document.xml", "<w:document/>"}}));
  EXPECT_EQ(docx.id, "docx");
  EXPECT_EQ(docx.puid, "fmt/412");
  EXPECT_FALSE(FormatPolicy::defaults().accepts(docx)) << "Allegato 2: OOXML only Strict";
  const FileFormat strict_docx = of(zip("b", {{"[Content_Types].xml", types},
                                              {"_rels/.rels", rels(strict)},
                                              {"word/document.xml", "<w:document/>"}}));
  EXPECT_EQ(strict_docx.id, "docx-strict");
  EXPECT_EQ(strict_docx.puid, "fmt/1827");
  EXPECT_TRUE(FormatPolicy::defaults().accepts(strict_docx));
  // Strict told by the main part's namespace alone.
  EXPECT_EQ(of(zip("c", {{"[Content_Types].xml", types},
                         {"xl/workbook.xml",
                          "<workbook xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" "
                          "conformance=\"strict\"/>"}}))
                .id,
            "xlsx-strict");
  EXPECT_EQ(of(zip("d", {{"[Content_Types].xml", types}, {"ppt/presentation.xml", "<p/>"}})).id,
            "pptx");
}

TEST_F(FormatIdentify, SignedEnvelopesAndTimeStamps) {
  const fs::path doc = write("doc.pdf", plainPdf());
  auto cms = [&](const std::string& out, std::vector<std::string> extra) {
    return envelope(doc, out, extra);
  };
  const FileFormat p7m = of(cms("doc.pdf.p7m", {"-nodetach", "-outform", "DER"}));
  EXPECT_EQ(p7m.id, "p7m");
  EXPECT_EQ(p7m.puid, "fmt/670");
  EXPECT_EQ(of(cms("doc.pdf.p7s", {"-outform", "DER"})).id, "p7s");
  const fs::path pem = cms("pem.p7m", {"-nodetach", "-outform", "PEM"});
  EXPECT_EQ(of(pem).id, "p7m");
  // PEM whose base64 has no padding: the END line closes it.
  const std::string der = readAll(dir_ / "doc.pdf.p7m");
  ASSERT_GT(der.size(), 999u);
  EXPECT_EQ(idOf("nopad.p7m", "-----BEGIN PKCS7-----\n" + base64(der.substr(0, 999)) +
                                  "\n-----END PKCS7-----\n"),
            "p7m");
  // Bare base64, as some signing applications save a .p7m.
  std::istringstream lines(readAll(pem));
  std::string line, bare;
  while (std::getline(lines, line))
    if (line.rfind("-----", 0) != 0) bare += line + "\r\n";
  EXPECT_EQ(idOf("b64.p7m", bare), "p7m");
  EXPECT_FALSE(FormatPolicy::defaults().accepts(p7m)) << "the verdict is the content's";

  auto tsa = sign::openLocalTsa(dir_ / "tsa", "TSA di prova");
  ASSERT_TRUE(tsa.has_value()) << tsa.error().detail;
  auto stamp = (*tsa)->stamp("indice");
  ASSERT_TRUE(stamp.has_value()) << stamp.error().detail;
  const fs::path tsr = write("indice.tsr", stamp->response_der);
  EXPECT_EQ(of(tsr).id, "tsr");
  auto token = runProcess({"openssl", "ts", "-reply", "-in", tsr.string(), "-token_out", "-out",
                           (dir_ / "indice.tst").string()},
                          30s);
  ASSERT_TRUE(token && token->exit_code == 0) << (token ? token->output : token.error().detail);
  EXPECT_EQ(of(dir_ / "indice.tst").id, "tst");
}

TEST_F(FormatIdentify, ASignedEnvelopeIsJudgedByTheDocumentItSigns) {
  const FormatPolicy policy = FormatPolicy::defaults();
  auto pdfa = pdf::toPdfA2b(plainPdf(), pdf::PdfAOptions{});
  ASSERT_TRUE(pdfa.has_value()) << pdfa.error().detail;
  const fs::path signed_pdfa =
      envelope(write("delibera.pdf", *pdfa), "delibera.pdf.p7m", {"-nodetach", "-outform", "DER"});
  auto j = judge(signed_pdfa, policy);
  ASSERT_TRUE(j.has_value()) << j.error().detail;
  EXPECT_TRUE(j->accepted) << j->problem;
  EXPECT_EQ(j->id, "p7m:pdfa-2b");
  EXPECT_EQ(j->format.id, "p7m");
  EXPECT_EQ(j->signers, std::vector<std::string>{"Firma di prova"});

  // Countersigned (an envelope in an envelope), and saved as PEM: still the PDF/A inside.
  const fs::path twice =
      envelope(signed_pdfa, "delibera.pdf.p7m.p7m", {"-nodetach", "-outform", "PEM"});
  j = judge(twice, policy);
  ASSERT_TRUE(j.has_value());
  EXPECT_TRUE(j->accepted) << j->problem;
  EXPECT_EQ(j->id, "p7m:pdfa-2b");
  EXPECT_EQ(j->signers.size(), 2u);

  // A plain PDF inside is refused as a plain PDF would be, naming what is inside.
  j = judge(
      envelope(write("bozza.pdf", plainPdf()), "bozza.pdf.p7m", {"-nodetach", "-outform", "DER"}),
      policy);
  ASSERT_TRUE(j.has_value());
  EXPECT_FALSE(j->accepted);
  EXPECT_EQ(j->id, "p7m:pdf-1.4");
  EXPECT_NE(j->problem.find("PDF 1.4"), std::string::npos) << j->problem;

  // A document altered inside its envelope: the signature no longer matches.
  std::string bytes = readAll(signed_pdfa);
  const std::size_t at = bytes.find("%PDF");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 40] = static_cast<char>(bytes[at + 40] ^ 0x01);
  j = judge(write("alterata.pdf.p7m", bytes), policy);
  ASSERT_TRUE(j.has_value());
  EXPECT_FALSE(j->accepted);
  EXPECT_NE(j->problem.find("firma non valida"), std::string::npos) << j->problem;

  // A detached signature (.p7s) has no document inside and is not a document to preserve.
  j = judge(envelope(signed_pdfa, "sola-firma.p7s", {"-outform", "DER"}), policy);
  ASSERT_TRUE(j.has_value());
  EXPECT_FALSE(j->accepted);
  EXPECT_EQ(j->id, "p7s");
}

TEST_F(FormatIdentify, FormatsTheAnnexRefusesAreStillNamed) {
  EXPECT_EQ(idOf("a.doc", bytes("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") + std::string(504, '\0')),
            "ole2");
  EXPECT_EQ(idOf("b", bytes("\x1F\x8B\x08\0\0\0\0\0")), "gzip");
  EXPECT_EQ(idOf("c", bytes("Rar!\x1A\x07\x01\0")), "rar");
  EXPECT_EQ(idOf("d", "%!PS-Adobe-3.0\n"), "ps");
  for (const char* id : {"ole2", "gzip", "rar", "ps", "rtf", "jp2", "unknown"})
    EXPECT_FALSE(FormatPolicy::defaults().accepts(known(id))) << id;
}

TEST_F(FormatIdentify, ReadsOnlyTheEndsOfAHugeFile) {
  // 64 GiB, sparse: reading it whole would take minutes.
  const fs::path p = write("enorme.bin", "");
  fs::resize_file(p, std::uintmax_t{64} << 30);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(of(p).id, "unknown");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST_F(FormatIdentify, AMissingFileIsUnavailable) {
  auto f = identify(dir_ / "assente.pdf");
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(identify(dir_).has_value());
}

TEST(FormatPolicy, DefaultsAreKnownFormatsAndFollowTheAnnex) {
  std::set<std::string> ids;
  for (const FileFormat& f : knownFormats()) EXPECT_TRUE(ids.insert(f.id).second) << f.id;
  EXPECT_EQ(knownFormats().back().id, "unknown");
  const FormatPolicy p = FormatPolicy::defaults();
  for (const std::string& id : p.accepted) EXPECT_TRUE(ids.count(id)) << id;
  for (const char* id :
       {"pdfa-1a",     "pdfa-1b", "pdfa-2a", "pdfa-2b", "pdfa-2u", "pdfa-3b",     "xml",
        "json",        "text",    "odt",     "ods",     "odp",     "docx-strict", "xlsx-strict",
        "pptx-strict", "eml",     "mbox",    "png",     "jpeg",    "tiff",        "wav"})
    EXPECT_TRUE(p.accepts(known(id))) << id;
  for (const char* id :
       {"pdf-1.4", "pdf-1.7", "pdf-2.0", "docx", "xlsx", "pptx", "odg", "odb", "gif", "zip", "p7m",
        "p7s", "tst", "tsr", "asic-e", "svg", "html", "unknown"})
    EXPECT_FALSE(p.accepts(known(id))) << id;
}

TEST(FormatPolicy, ConfiguredListRejectsIdsNobodyReturns) {
  auto ok = FormatPolicy::fromIds({"pdfa-2b", "pdf-1.7"});
  ASSERT_TRUE(ok.has_value()) << ok.error().detail;
  EXPECT_TRUE(ok->accepts(known("pdf-1.7")));
  EXPECT_FALSE(ok->accepts(known("xml")));
  auto typo = FormatPolicy::fromIds({"pdfa-2b", "pdfa2b"});
  ASSERT_FALSE(typo.has_value());
  EXPECT_EQ(typo.error().code, ErrorCode::kBadInput);
  EXPECT_NE(typo.error().detail.find("pdfa2b"), std::string::npos);
  EXPECT_FALSE(FormatPolicy::fromIds({"unknown"}).has_value());
}

}  // namespace
}  // namespace cst::preservation
