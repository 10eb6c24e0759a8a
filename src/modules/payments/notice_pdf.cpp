// The payment notice PDF: libharu writes the document, libqrencode makes the QR code, which is
// drawn as vector squares (reference §3.1: "printed as a 25x25 mm vector").
#include "notice_pdf.hpp"

#include <hpdf.h>
#include <qrencode.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "common/text.hpp"
#include "pdf/haru.hpp"

namespace cst::payments {

namespace {

// A4 portrait, in points (1/72 inch).
constexpr float kPageWidth = 595.276f;
constexpr float kPageHeight = 841.89f;
constexpr float kMargin = 42.0f;
constexpr float kLeft = kMargin;
constexpr float kRight = kPageWidth - kMargin;
constexpr float kWidth = kRight - kLeft;
// The lowest baseline of the content; the footer sits below it.
constexpr float kContentBottom = kPageHeight - 40.0f;
constexpr float kFooterBaseline = kPageHeight - 26.0f;
constexpr float kMm = 72.0f / 25.4f;

// Reference §3.1: QR version 4 (33x33 modules), ECC level M, printed 25 mm wide. The quiet zone
// of 4 modules on every side is ISO/IEC 18004's; nothing is drawn inside it.
constexpr int kQrVersion = 4;
constexpr float kQrSide = 25.0f * kMm;
constexpr int kQuietModules = 4;
// The square the QR code and its quiet zone take, for the 33 modules of version 4.
constexpr float kQrBox = kQrSide * (33 + 2 * kQuietModules) / 33;

// One payment block: a title band, then the QR code beside the payment data.
constexpr float kBandHeight = 20.0f;
constexpr float kBlockPadding = 4.0f;
constexpr float kBlockHeight = kBandHeight + kQrBox + 2 * kBlockPadding;
constexpr float kBlockGap = 8.0f;

constexpr float kLabelGray = 0.35f;

using pdf::HaruErrors;
using pdf::onHaruError;

// Every failure of the notice's rendering says what failed the same way.
tl::unexpected<Error> haruFailure(const HaruErrors& e) {
  return pdf::haruFailure(e, "generazione del PDF non riuscita");
}

struct Fonts {
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
};

// Drawing on one page in "top" coordinates: distances from the top edge, as a layout is read.
// Every text is Windows-1252 already.
class Pen {
 public:
  Pen(HPDF_Page page, const Fonts& fonts) : page_(page), fonts_(fonts) {}

  float width(const std::string& text, float size, bool bold) const {
    const HPDF_TextWidth w = HPDF_Font_TextWidth(bold ? fonts_.bold : fonts_.regular,
                                                 reinterpret_cast<const HPDF_BYTE*>(text.data()),
                                                 static_cast<HPDF_UINT>(text.size()));
    return static_cast<float>(w.width) * size / 1000.0f;
  }

  void text(float x, float baseline, const std::string& text, float size, bool bold,
            float gray = 0.0f) {
    if (text.empty()) return;
    HPDF_Page_SetGrayFill(page_, gray);
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, bold ? fonts_.bold : fonts_.regular, size);
    HPDF_Page_TextOut(page_, x, kPageHeight - baseline, text.c_str());
    HPDF_Page_EndText(page_);
  }

  void textRight(float right, float baseline, const std::string& s, float size, bool bold,
                 float gray = 0.0f) {
    text(right - width(s, size, bold), baseline, s, size, bold, gray);
  }

  // `text` in lines no wider than `max_width`, broken at spaces (a longer word is cut), at most
  // `max_lines` of them, the last one shortened with an ellipsis when text is left over.
  std::vector<std::string> wrap(const std::string& text, float size, bool bold, float max_width,
                                std::size_t max_lines) const {
    std::vector<std::string> lines;
    std::string line;
    std::size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && text[i] == ' ') ++i;
      std::size_t end = text.find(' ', i);
      if (end == std::string::npos) end = text.size();
      std::string word = text.substr(i, end - i);
      i = end;
      if (word.empty()) continue;
      const std::string joined = line.empty() ? word : line + " " + word;
      if (width(joined, size, bold) <= max_width) {
        line = joined;
        continue;
      }
      if (!line.empty()) lines.push_back(line);
      // A word wider than the whole line: cut it where it no longer fits.
      while (width(word, size, bold) > max_width && word.size() > 1) {
        std::size_t fit = word.size() - 1;
        while (fit > 1 && width(word.substr(0, fit), size, bold) > max_width) --fit;
        lines.push_back(word.substr(0, fit));
        word = word.substr(fit);
      }
      line = word;
    }
    if (!line.empty()) lines.push_back(line);
    if (lines.size() > max_lines) {
      lines.resize(max_lines);
      lines.back() = fit(lines.back() + " \x85", size, bold, max_width);
    }
    return lines;
  }

  // `text` on one line no wider than `max_width`, cut with an ellipsis (0x85) when needed.
  std::string fit(const std::string& text, float size, bool bold, float max_width) const {
    if (width(text, size, bold) <= max_width) return text;
    std::string cut = text;
    while (!cut.empty() && width(cut + "\x85", size, bold) > max_width) cut.pop_back();
    while (!cut.empty() && cut.back() == ' ') cut.pop_back();
    return cut + "\x85";
  }

  void rule(float top, float gray = 0.7f) {
    HPDF_Page_SetGrayStroke(page_, gray);
    HPDF_Page_SetLineWidth(page_, 0.6f);
    HPDF_Page_MoveTo(page_, kLeft, kPageHeight - top);
    HPDF_Page_LineTo(page_, kRight, kPageHeight - top);
    HPDF_Page_Stroke(page_);
  }

  void fillBox(float left, float top, float width, float height, float gray) {
    HPDF_Page_SetGrayFill(page_, gray);
    HPDF_Page_Rectangle(page_, left, kPageHeight - top - height, width, height);
    HPDF_Page_Fill(page_);
  }

  void strokeBox(float left, float top, float width, float height, float gray) {
    HPDF_Page_SetGrayStroke(page_, gray);
    HPDF_Page_SetLineWidth(page_, 0.8f);
    HPDF_Page_Rectangle(page_, left, kPageHeight - top - height, width, height);
    HPDF_Page_Stroke(page_);
  }

  // The QR code of `payload` with its top-left quiet-zone corner at (left, top). Each row's runs
  // of dark modules become rectangles of one path, filled once: a rasteriser then sees one shape
  // and leaves no hairline seams between rows. The path is written in module units under a
  // scaling matrix (row 0 at the top): "12 5 3 1 re" rather than full coordinates, about
  // a third of the bytes that a bulk document holds in memory per QR code.
  Status qr(float left, float top, const std::string& payload) {
    errno = 0;
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString(payload.c_str(), kQrVersion, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!code)
      return fail(ErrorCode::kInternal,
                  std::string("codice QR non generato: ") + std::strerror(errno ? errno : EINVAL));
    const int n = code->width;
    const float module = kQrSide / static_cast<float>(n);
    const auto dark = [&](int row, int col) { return (code->data[row * n + col] & 1) != 0; };
    HPDF_Page_GSave(page_);
    HPDF_Page_Concat(page_, module, 0, 0, -module, left + kQuietModules * module,
                     kPageHeight - (top + kQuietModules * module));
    HPDF_Page_SetGrayFill(page_, 0.0f);
    for (int row = 0; row < n; ++row) {
      for (int col = 0; col < n;) {
        if (!dark(row, col)) {
          ++col;
          continue;
        }
        int end = col;
        while (end < n && dark(row, end)) ++end;
        HPDF_Page_Rectangle(page_, static_cast<float>(col), static_cast<float>(row),
                            static_cast<float>(end - col), 1);
        col = end;
      }
    }
    HPDF_Page_Fill(page_);
    HPDF_Page_GRestore(page_);
    return {};
  }

 private:
  HPDF_Page page_;
  const Fonts& fonts_;
};

// One payment option as printed, its texts ready (Windows-1252).
struct PrintedOption {
  std::string title;  // "Rata unica", "Rata 1 di 3", with the option's description
  std::string amount, due_date, notice_number, payload;
};

// A position's texts, converted once.
struct PrintedNotice {
  std::string ente, ente_fiscal_code, subject, reference;
  std::string debtor, debtor_fiscal_code;
  std::vector<std::string> debtor_address;
  std::vector<std::string> how_much;  // the "quanto e quando" lines after the amount
  std::string headline_amount, headline_when;
  std::vector<PrintedOption> options;
};

Result<PrintedNotice> printedNotice(const NoticeSource& n) {
  const DebtPosition& p = n.position;
  if (n.creditor.ente != p.ente)
    return fail(ErrorCode::kInternal, "configurazione di creditore di un altro ente (" +
                                          n.creditor.ente + ") per una posizione di " + p.ente);
  if (p.options.empty()) return failField("options", "nessuna opzione di pagamento da stampare");
  PrintedNotice out;
  out.ente = toCp1252(n.ente_name);
  out.ente_fiscal_code = n.creditor.fiscal_code;
  out.subject = toCp1252(p.description);
  out.reference = toCp1252(p.reference);
  out.debtor = toCp1252(p.debtor.name);
  out.debtor_fiscal_code = toCp1252(p.debtor.fiscal_code);
  std::string street = p.debtor.street.value_or("");
  if (p.debtor.civic_number) street += (street.empty() ? "" : ", ") + *p.debtor.civic_number;
  std::string place = p.debtor.postal_code.value_or("");
  if (p.debtor.city) place += (place.empty() ? "" : " ") + *p.debtor.city;
  if (p.debtor.province) place += (place.empty() ? "(" : " (") + *p.debtor.province + ")";
  if (p.debtor.country && *p.debtor.country != "IT") place += " " + *p.debtor.country;
  for (const std::string& line : {street, place})
    if (!line.empty()) out.debtor_address.push_back(toCp1252(line));

  // The single payment first, then the instalments, each group in the order given.
  std::vector<const PaymentOption*> singles, instalments;
  for (const PaymentOption& o : p.options) (o.instalment ? instalments : singles).push_back(&o);
  const auto bySeq = [](const PaymentOption* a, const PaymentOption* b) { return a->seq < b->seq; };
  std::stable_sort(singles.begin(), singles.end(), bySeq);
  std::stable_sort(instalments.begin(), instalments.end(), bySeq);
  const std::string count = std::to_string(instalments.size());
  std::int64_t plan_total = 0;
  const auto add = [&](const PaymentOption& o, std::string title) -> Status {
    auto payload = qrPayload(o.notice_number, n.creditor.fiscal_code, o.amount_cents);
    if (!payload) return tl::unexpected(payload.error());
    if (o.description) title += " \xB7 " + toCp1252(*o.description);  // middle dot
    out.options.push_back({std::move(title), toCp1252(formatEuro(o.amount_cents)),
                           formatItalianDate(o.due_date), formatNoticeNumber(o.notice_number),
                           std::move(*payload)});
    return {};
  };
  for (const PaymentOption* o : singles)
    if (auto s = add(*o, "Rata unica"); !s) return tl::unexpected(s.error());
  for (std::size_t i = 0; i < instalments.size(); ++i) {
    plan_total += instalments[i]->amount_cents;
    if (auto s = add(*instalments[i], "Rata " + std::to_string(i + 1) + " di " + count); !s)
      return tl::unexpected(s.error());
  }

  if (!singles.empty()) {
    out.headline_amount = out.options.front().amount;
    out.headline_when = "entro il " + out.options.front().due_date;
    if (!instalments.empty())
      out.how_much.push_back(toCp1252("Puoi pagare in un'unica soluzione oppure in " + count +
                                      " rate, per un totale di " + formatEuro(plan_total) + "."));
  } else {
    out.headline_amount = toCp1252(formatEuro(plan_total));
    out.headline_when = "in " + count + " rate";
    out.how_much.push_back(
        "La prima rata entro il " + formatItalianDate(instalments.front()->due_date) +
        ", l'ultima entro il " + formatItalianDate(instalments.back()->due_date) + ".");
  }
  if (p.valid_until)
    out.how_much.push_back(
        toCp1252("L'avviso è pagabile fino al " + formatItalianDate(*p.valid_until) + "."));
  return out;
}

const char* const kDisclaimer =
    "L'importo è aggiornato automaticamente dal sistema e potrebbe subire variazioni per "
    "eventuali sgravi, note di credito, indennità di mora, sanzioni o interessi. Un operatore, il "
    "sito o l'app che userai potrebbero quindi chiederti una cifra diversa da quella qui "
    "indicata.";
const char* const kOnline =
    "Dal sito o dall'app del tuo Ente Creditore, della tua Banca o degli altri canali di "
    "pagamento, e con l'app IO. Potrai pagare con carte, conto corrente, CBILL.";
const char* const kInPerson =
    "In Banca, in Ricevitoria, dal Tabaccaio, al Bancomat, al Supermercato. Potrai pagare in "
    "contanti, con carte o conto corrente.";

// Writes one notice: the full header on its first page, a short one on the next, as many
// payment blocks per page as fit, and "Pagina i di n" on each once n is known.
class NoticeWriter {
 public:
  NoticeWriter(HPDF_Doc doc, const Fonts& fonts, const PrintedNotice& n)
      : doc_(doc), fonts_(fonts), n_(n) {}

  Status write() {
    auto first = newPage();
    if (!first) return tl::unexpected(first.error());
    float top = fullHeader(*first);
    for (const PrintedOption& o : n_.options) {
      if (top + kBlockHeight > kContentBottom) {
        auto next = newPage();
        if (!next) return tl::unexpected(next.error());
        top = shortHeader(*next);
      }
      Pen pen(pages_.back(), fonts_);
      if (auto s = block(pen, top, o); !s) return s;
      top += kBlockHeight + kBlockGap;
    }
    footers();
    return {};
  }

 private:
  Result<Pen> newPage() {
    HPDF_Page page = HPDF_AddPage(doc_);
    if (!page) return fail(ErrorCode::kInternal, "generazione del PDF non riuscita: nuova pagina");
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    pages_.push_back(page);
    return Pen(page, fonts_);
  }

  static float sectionTitle(Pen& pen, float top, const std::string& title) {
    top += 11;
    pen.text(kLeft, top, title, 8, true, kLabelGray);
    return top;
  }

  float fullHeader(Pen& pen) {
    float top = kMargin + 10;
    pen.text(kLeft, top, "AVVISO DI PAGAMENTO", 9, true, kLabelGray);
    pen.textRight(kRight, top, "pagoPA", 11, true);
    top += 4;
    for (const std::string& line : pen.wrap(n_.subject, 16, true, kWidth, 3)) {
      top += 19;
      pen.text(kLeft, top, line, 16, true);
    }
    top += 10;
    pen.rule(top);
    top += 4;

    // Ente creditore | Destinatario, side by side.
    const float column = (kWidth - 20) / 2;
    const float right_column = kLeft + column + 20;
    float left = sectionTitle(pen, top, "ENTE CREDITORE");
    for (const std::string& line : pen.wrap(n_.ente, 11, true, column, 2)) {
      left += 14;
      pen.text(kLeft, left, line, 11, true);
    }
    left += 13;
    pen.text(kLeft, left, "Codice fiscale " + n_.ente_fiscal_code, 9, false);
    float right = top + 11;
    pen.text(right_column, right, "DESTINATARIO DELL'AVVISO", 8, true, kLabelGray);
    for (const std::string& line : pen.wrap(n_.debtor, 11, true, column, 2)) {
      right += 14;
      pen.text(right_column, right, line, 11, true);
    }
    right += 13;
    pen.text(right_column, right, "Codice fiscale " + n_.debtor_fiscal_code, 9, false);
    for (const std::string& line : n_.debtor_address) {
      right += 12;
      pen.text(right_column, right, pen.fit(line, 9, false, column), 9, false);
    }
    top = std::max(left, right) + 9;
    pen.rule(top);
    top += 4;

    top = sectionTitle(pen, top, "QUANTO E QUANDO PAGARE?");
    top += 20;
    pen.text(kLeft, top, n_.headline_amount, 16, true);
    pen.text(kLeft + pen.width(n_.headline_amount, 16, true) + 8, top, n_.headline_when, 11, false);
    for (const std::string& line : n_.how_much) {
      top += 13;
      pen.text(kLeft, top, pen.fit(line, 9, false, kWidth), 9, false);
    }
    top += 3;
    for (const std::string& line : pen.wrap(toCp1252(kDisclaimer), 7.5f, false, kWidth, 4)) {
      top += 10;
      pen.text(kLeft, top, line, 7.5f, false, kLabelGray);
    }
    top += 8;
    pen.rule(top);
    top += 4;

    top = sectionTitle(pen, top, "DOVE PAGARE?");
    pen.textRight(kRight, top, "Lista dei canali di pagamento su www.pagopa.gov.it", 8, false,
                  kLabelGray);
    for (const auto& [title, text] : {std::pair{"PAGA SUL SITO O CON LE APP", kOnline},
                                      std::pair{"PAGA SUL TERRITORIO", kInPerson}}) {
      top += 13;
      pen.text(kLeft, top, title, 8.5f, true);
      for (const std::string& line : pen.wrap(toCp1252(text), 8.5f, false, kWidth, 3)) {
        top += 11;
        pen.text(kLeft, top, line, 8.5f, false);
      }
    }
    top += 8;
    pen.rule(top);
    top += 4;

    top = sectionTitle(pen, top, "DATI PER IL PAGAMENTO");
    top += 12;
    pen.text(kLeft, top,
             "Utilizza la porzione di avviso relativa alla rata e al canale di pagamento che "
             "preferisci.",
             8.5f, false);
    return top + 8;
  }

  // The header repeated on the following pages.
  float shortHeader(Pen& pen) {
    float top = kMargin + 10;
    pen.text(kLeft, top, "AVVISO DI PAGAMENTO (segue)", 9, true, kLabelGray);
    pen.textRight(kRight, top, "pagoPA", 11, true);
    top += 18;
    pen.text(kLeft, top, pen.fit(n_.subject, 12, true, kWidth), 12, true);
    top += 14;
    pen.text(kLeft, top,
             pen.fit(n_.ente + " \xB7 Codice fiscale " + n_.ente_fiscal_code + " \xB7 " +
                         "Destinatario: " + n_.debtor + " (" + n_.debtor_fiscal_code + ")",
                     9, false, kWidth),
             9, false);
    top += 9;
    pen.rule(top);
    return top + 10;
  }

  Status block(Pen& pen, float top, const PrintedOption& o) {
    pen.strokeBox(kLeft, top, kWidth, kBlockHeight, 0.6f);
    pen.fillBox(kLeft, top, kWidth, kBandHeight, 0.92f);
    const std::string when = o.amount + "  entro il " + o.due_date;
    const float when_width = pen.width(when, 10, true);
    pen.textRight(kRight - 8, top + 14, when, 10, true);
    pen.text(kLeft + 8, top + 14, pen.fit(o.title, 10, true, kWidth - when_width - 28), 10, true);

    const float qr_left = kLeft + 8;
    const float qr_top = top + kBandHeight + kBlockPadding;
    if (auto s = pen.qr(qr_left, qr_top, o.payload); !s) return s;

    const float label_x = qr_left + kQrBox + 12;
    const float value_x = label_x + 112;
    const float value_width = kRight - 8 - value_x;
    float line = qr_top + 10;
    pen.text(label_x, line,
             pen.fit("Inquadra il codice QR con la tua app di pagamento o usa i dati qui accanto.",
                     8, false, kRight - 8 - label_x),
             8, false, kLabelGray);
    const struct {
      const char* label;
      const std::string& value;
      float size;
      bool bold;
    } rows[] = {{"Destinatario", n_.debtor, 9.5f, false},
                {"Ente creditore", n_.ente, 9.5f, false},
                {"Oggetto del pagamento", n_.subject, 9.5f, false},
                {"Codice avviso", o.notice_number, 11, true},
                {"Cod. fiscale ente creditore", n_.ente_fiscal_code, 11, true}};
    for (const auto& row : rows) {
      line += 14;
      pen.text(label_x, line, row.label, 8, false, kLabelGray);
      pen.text(value_x, line, pen.fit(row.value, row.size, row.bold, value_width), row.size,
               row.bold);
    }
    return {};
  }

  void footers() {
    const std::string total = std::to_string(pages_.size());
    for (std::size_t i = 0; i < pages_.size(); ++i) {
      Pen pen(pages_[i], fonts_);
      const std::string page = "Pagina " + std::to_string(i + 1) + " di " + total;
      pen.textRight(kRight, kFooterBaseline, page, 7.5f, false, kLabelGray);
      pen.text(kLeft, kFooterBaseline,
               pen.fit(n_.ente + " \xB7 Avviso " + n_.reference, 7.5f, false,
                       kWidth - pen.width(page, 7.5f, false) - 20),
               7.5f, false, kLabelGray);
    }
  }

  HPDF_Doc doc_;
  const Fonts& fonts_;
  const PrintedNotice& n_;
  std::vector<HPDF_Page> pages_;
};

}  // namespace

struct NoticeDocument::Impl {
  HaruErrors errors;
  HPDF_Doc doc = nullptr;
  Fonts fonts;
  int notices = 0;
  Status failed;  // a failure of the constructor, reported by add() and finish()

  ~Impl() {
    if (doc) HPDF_Free(doc);
  }
  Status check() const {
    if (!failed) return failed;
    if (errors.error != HPDF_OK) return haruFailure(errors);
    return {};
  }
};

NoticeDocument::NoticeDocument(std::string_view title) : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.doc = HPDF_New(onHaruError, &d.errors);
  if (!d.doc) {
    d.failed = fail(ErrorCode::kInternal, "generazione del PDF non riuscita: memoria esaurita");
    return;
  }
  // Page streams compressed (deflate): a notice page is mostly text and QR rectangles.
  HPDF_SetCompressionMode(d.doc, HPDF_COMP_ALL);
  // The standard Helvetica (not embedded, every reader has it) in WinAnsiEncoding, so that
  // à è é ì ò ù and € print as themselves.
  d.fonts.regular = HPDF_GetFont(d.doc, "Helvetica", "WinAnsiEncoding");
  d.fonts.bold = HPDF_GetFont(d.doc, "Helvetica-Bold", "WinAnsiEncoding");
  if (!d.fonts.regular || !d.fonts.bold) {
    d.failed = fail(ErrorCode::kInternal, "generazione del PDF non riuscita: font Helvetica");
    return;
  }
  HPDF_SetInfoAttr(d.doc, HPDF_INFO_TITLE, pdfDocText(toCp1252(title)).c_str());
  HPDF_SetInfoAttr(d.doc, HPDF_INFO_CREATOR, "CST - Pagamenti online (pagoPA)");
}

NoticeDocument::~NoticeDocument() = default;

Status NoticeDocument::add(const NoticeSource& n) {
  Impl& d = *impl_;
  if (auto s = d.check(); !s) return s;
  auto printed = printedNotice(n);
  if (!printed) return tl::unexpected(printed.error());
  if (auto s = NoticeWriter(d.doc, d.fonts, *printed).write(); !s) return s;
  if (auto s = d.check(); !s) return s;
  ++d.notices;
  return {};
}

int NoticeDocument::notices() const { return impl_->notices; }

Result<std::string> NoticeDocument::finish() {
  Impl& d = *impl_;
  if (auto s = d.check(); !s) return tl::unexpected(s.error());
  if (d.notices == 0) return fail(ErrorCode::kInternal, "nessun avviso nel documento");
  auto out = pdf::saveToString(d.doc, d.errors, "generazione del PDF non riuscita");
  HPDF_Free(d.doc);
  d.doc = nullptr;
  return out;
}

Result<std::string> renderNoticePdf(const NoticeSource& n) {
  NoticeDocument doc("Avviso di pagamento " + n.position.reference);
  if (auto s = doc.add(n); !s) return tl::unexpected(s.error());
  return doc.finish();
}

std::string formatEuro(std::int64_t cents) {
  const bool negative = cents < 0;
  const std::uint64_t v = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(cents)
                                   : static_cast<std::uint64_t>(cents);
  const std::string euros = std::to_string(v / 100);
  std::string grouped;
  for (std::size_t i = 0; i < euros.size(); ++i) {
    if (i > 0 && (euros.size() - i) % 3 == 0) grouped += '.';
    grouped += euros[i];
  }
  const unsigned rest = static_cast<unsigned>(v % 100);
  std::string out = negative ? "-" : "";
  out += grouped + ',' + static_cast<char>('0' + rest / 10) + static_cast<char>('0' + rest % 10);
  return out + " \u20AC";
}

}  // namespace cst::payments
