#include "daily_register.hpp"

#include <hpdf.h>

#include <functional>

#include "calendar/calendar.hpp"
#include "common/clock.hpp"
#include "common/text.hpp"
#include "pdf/haru.hpp"

namespace cst::protocol {

using nlohmann::json;

namespace {

// A4 landscape, in points.
constexpr float kPageWidth = 841.89f;
constexpr float kPageHeight = 595.276f;
constexpr float kMargin = 30.0f;
constexpr float kRowHeight = 11.0f;
constexpr float kFontSize = 7.0f;

// The Rome wall-clock time ("10:15:30") of a UTC timestamp.
std::string romeTime(const std::string& utc) {
  auto at = parseTimestamp(utc);
  if (!at) return "";
  return calendar::formatRome(std::chrono::floor<std::chrono::seconds>(*at)).substr(11, 8);
}

std::string flowLabel(Flow f) {
  switch (f) {
    case Flow::kIncoming:
      return "Arrivo";
    case Flow::kOutgoing:
      return "Partenza";
    case Flow::kInternal:
      return "Interno";
  }
  return "";
}

std::string correspondents(const Registration& r) {
  std::string out;
  for (const Correspondent& c : r.correspondents)
    out += (out.empty() ? "" : "; ") + c.displayName();
  return r.flow == Flow::kInternal ? "(interno)" : out;
}

json annulmentJson(const Registration& r) {
  return {{"id", r.id},
          {"year", r.year},
          {"number", formatNumber(r.number)},
          {"registered_on", r.registered_on},
          {"annulled_at", r.annulled_at.value_or("")},
          {"annulled_by", r.annulled_by.value_or("")},
          {"reason", r.annulment_reason.value_or("")},
          {"authorisation", r.annulment_authorisation.value_or("")}};
}

// The document being written, page after page, in "top" coordinates.
class Writer {
 public:
  Writer(HPDF_Doc doc, HPDF_Font regular, HPDF_Font bold, std::string heading)
      : doc_(doc), regular_(regular), bold_(bold), heading_(std::move(heading)) {}

  // Moves down one row, starting a new page when this one is full.
  void row() {
    if (!page_ || y_ + kRowHeight > kPageHeight - kMargin - 14) newPage();
    y_ += kRowHeight;
  }
  // `text` (UTF-8) at column x on the current row, cut (with "…") to `width`.
  void cell(float x, float width, const std::string& text, bool bold = false) {
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, kFontSize);
    std::string shown = toCp1252(text);  // control characters become spaces
    if (HPDF_Page_TextWidth(page_, shown.c_str()) > width) {
      const std::string ellipsis(1, static_cast<char>(0x85));  // … in Windows-1252
      std::size_t keep = shown.size();
      std::string cut;
      do {
        keep = keep * 9 / 10;
        cut = shown.substr(0, keep) + ellipsis;
      } while (keep > 0 && HPDF_Page_TextWidth(page_, cut.c_str()) > width);
      shown = cut;
    }
    HPDF_Page_BeginText(page_);
    HPDF_Page_TextOut(page_, kMargin + x, kPageHeight - y_, shown.c_str());
    HPDF_Page_EndText(page_);
  }
  void rule() {
    HPDF_Page_SetLineWidth(page_, 0.3f);
    HPDF_Page_MoveTo(page_, kMargin, kPageHeight - y_ - 3);
    HPDF_Page_LineTo(page_, kPageWidth - kMargin, kPageHeight - y_ - 3);
    HPDF_Page_Stroke(page_);
  }
  // Rows printed again at the top of every page (the table's column titles).
  void setTableHeader(std::function<void()> header) { header_ = std::move(header); }
  void endPage() { page_ = nullptr; }

 private:
  void newPage() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
    ++pages_;
    y_ = kMargin;
    HPDF_Page_SetFontAndSize(page_, bold_, 9);
    HPDF_Page_BeginText(page_);
    HPDF_Page_TextOut(page_, kMargin, kPageHeight - y_, toCp1252(heading_).c_str());
    HPDF_Page_EndText(page_);
    HPDF_Page_SetFontAndSize(page_, regular_, kFontSize);
    const std::string footer = "Pagina " + std::to_string(pages_);
    HPDF_Page_BeginText(page_);
    HPDF_Page_TextOut(page_, kPageWidth - kMargin - 40, kMargin - 12, footer.c_str());
    HPDF_Page_EndText(page_);
    y_ += 8;
    if (header_) {
      auto header = std::move(header_);  // not again from inside the header's own rows
      header();
      header_ = std::move(header);
    }
  }

  HPDF_Doc doc_;
  HPDF_Font regular_, bold_;
  std::string heading_;
  HPDF_Page page_ = nullptr;
  float y_ = 0;
  int pages_ = 0;
  std::function<void()> header_;
};

// Columns of the registrations' table: x offset and width, in points.
struct Column {
  float x, width;
  const char* title;
};
constexpr Column kColumns[] = {
    {0, 52, "Numero"},
    {52, 36, "Ora"},
    {88, 40, "Flusso"},
    {128, 300, "Oggetto"},
    {428, 170, "Mittente / destinatari"},
    {598, 100, "Classifica"},
    {698, 34, "Allegati"},
    {732, 50, "Stato"},
};

}  // namespace

std::string dailyRegisterJson(const DailyRegisterContent& c) {
  json regs = json::array();
  for (const Registration& r : c.registrations) regs.push_back(toJson(r));
  json annulled = json::array();
  for (const Registration& r : c.annulled) annulled.push_back(annulmentJson(r));
  return json{{"format", "cst-registro-giornaliero/1"},
              {"ente", c.who.aoo.ente},
              {"ente_name", c.who.ente_name},
              {"ipa_code", c.who.ente_ipa_code},
              {"aoo_code", c.who.aoo.aoo_code},
              {"aoo_name", c.who.aoo.aoo_name},
              {"aoo_pec", c.who.aoo.pec.empty() ? json() : json(c.who.aoo.pec)},
              {"registry_code", c.who.aoo.registry_code},
              {"day", c.day},
              {"produced_at", c.produced_at},
              {"registrations_count", c.registrations.size()},
              {"registrations", regs},
              {"annulments_count", c.annulled.size()},
              {"annulments", annulled}}
      .dump(1);
}

Result<std::string> dailyRegisterPdf(const DailyRegisterContent& c) {
  pdf::HaruErrors errors;
  HPDF_Doc doc = HPDF_New(pdf::onHaruError, &errors);
  if (!doc) return fail(ErrorCode::kInternal, "PDF: libharu non inizializzato");
  struct Free {
    HPDF_Doc d;
    ~Free() { HPDF_Free(d); }
  } free_doc{doc};
  HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
  // The standard Helvetica in WinAnsiEncoding (every Italian letter and €), not embedded: a
  // register of 5,000 rows stays a few hundred kilobytes (see docs/protocol.md on PDF/A).
  HPDF_Font regular = HPDF_GetFont(doc, "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(doc, "Helvetica-Bold", "WinAnsiEncoding");
  const std::string title = "Registro giornaliero di protocollo del " + formatItalianDate(c.day);
  HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, pdfDocText(toCp1252(title)).c_str());
  HPDF_SetInfoAttr(doc, HPDF_INFO_AUTHOR, pdfDocText(toCp1252(c.who.ente_name)).c_str());
  HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "CST - Protocollo informatico");

  Writer w(doc, regular, bold,
           title + " - " + c.who.ente_name + " (IPA " + c.who.ente_ipa_code + ", AOO " +
               c.who.aoo.aoo_code + ", registro " + c.who.aoo.registry_code + ")");
  w.row();
  w.cell(0, 760,
         "Registrazioni del giorno: " + std::to_string(c.registrations.size()) +
             ". Annullamenti del giorno: " + std::to_string(c.annulled.size()) + ". Prodotto il " +
             c.produced_at + " (UTC).");
  w.row();
  auto header = [&] {
    w.row();
    for (const Column& col : kColumns) w.cell(col.x, col.width, col.title, true);
    w.rule();
  };
  w.setTableHeader(header);
  header();
  if (c.registrations.empty()) {
    w.row();
    w.cell(0, 700, "Nessuna registrazione in questo giorno.");
  }
  for (const Registration& r : c.registrations) {
    w.row();
    const std::string cells[] = {formatNumber(r.number) + "/" + std::to_string(r.year),
                                 romeTime(r.registered_at),
                                 flowLabel(r.flow),
                                 r.subject,
                                 correspondents(r),
                                 r.class_code + " " + r.class_description,
                                 std::to_string(r.attachments_count),
                                 r.annulled() ? "ANNULLATA" : "registrata"};
    for (std::size_t i = 0; i < std::size(kColumns); ++i)
      w.cell(kColumns[i].x, kColumns[i].width, cells[i], i == 7 && r.annulled());
    // Art. 53 f): the impronta of the primary document, whole, on a line of its own.
    if (!r.documents.empty()) {
      w.row();
      w.cell(52, 730,
             "Impronta SHA-256 di " + r.documents.front().filename + ": " +
                 r.documents.front().sha256);
    }
  }
  w.setTableHeader(nullptr);
  w.row();
  w.row();
  w.cell(0, 760, "Annullamenti eseguiti nel giorno (art. 54 DPR 445/2000)", true);
  if (c.annulled.empty()) {
    w.row();
    w.cell(0, 700, "Nessun annullamento in questo giorno.");
  }
  for (const Registration& r : c.annulled) {
    w.row();
    w.cell(0, 60, formatNumber(r.number) + "/" + std::to_string(r.year));
    w.cell(60, 60, formatItalianDate(r.registered_on));
    w.cell(120, 60, romeTime(r.annulled_at.value_or("")));
    w.cell(180, 80, r.annulled_by.value_or(""));
    w.cell(260, 280, "Motivo: " + r.annulment_reason.value_or(""));
    w.cell(540, 240, "Autorizzazione: " + r.annulment_authorisation.value_or(""));
  }
  return pdf::saveToString(doc, errors, "PDF del registro non generato");
}

}  // namespace cst::protocol
