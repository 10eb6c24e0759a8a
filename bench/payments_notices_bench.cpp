// Payment notice PDFs (issue 5 asks for >= 200 notices/s): the rendering of one notice beside two
// baselines measured in the same run, with the same libraries and font:
//   EmptyPage   libharu alone: a one-page PDF with one line of Helvetica (WinAnsiEncoding), saved
//               to memory; what any PDF costs before there is anything on it
//   QrOnly      libqrencode alone: the QR code of one notice (version 4, level M)
//   Notice      renderNoticePdf: a single payment (one QR code), the common case
//   NoticePlan  renderNoticePdf: a single payment and two instalments (three QR codes)
//   Bulk        NoticeDocument: 500 single-payment notices merged into one PDF
// The notices/s column is the figure to compare with the 200/s (one core: the server
// renders on its worker pool, one notice per worker at a time).
//
//   build/bench/cst_payments_notices_bench [--benchmark_min_time=2]
#include <benchmark/benchmark.h>
#include <hpdf.h>
#include <qrencode.h>

#include <string>

#include "model.hpp"
#include "model_position.hpp"
#include "notice_pdf.hpp"

namespace {

using namespace cst::payments;

const Creditor kCremona{"019036", "00297960197", "01", {}, {}, "", ""};

DebtPosition position(int options) {
  DebtPosition p;
  p.id = 1;
  p.ente = "019036";
  p.reference = "TARI-2026-000123";
  p.status = PositionStatus::kValid;
  p.debtor.fiscal_code = "RSSMRA85T10A562S";
  p.debtor.name = "Mario Rossi";
  p.debtor.street = "Via Solferino";
  p.debtor.civic_number = "1";
  p.debtor.postal_code = "26100";
  p.debtor.city = "Cremona";
  p.debtor.province = "CR";
  p.description = "TARI 2026, tassa sui rifiuti: saldo dell'anno";
  p.valid_until = "2026-12-31";
  for (int i = 0; i < options; ++i) {
    PaymentOption o;
    o.seq = i + 1;
    o.instalment = i > 0;
    o.amount_cents = i == 0 ? 18500 : 9250;
    o.due_date = "2026-0" + std::to_string(6 + i) + "-30";
    o.notice_number = makeNoticeNumber("01", iuvBaseOf(1000 + i))->digits;
    p.options.push_back(o);
  }
  return p;
}

void noticeRate(benchmark::State& state, double per_iteration) {
  state.counters["notices/s"] = benchmark::Counter(
      per_iteration * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void errorHandler(HPDF_STATUS, HPDF_STATUS, void*) {}

void EmptyPage(benchmark::State& state) {
  for (auto _ : state) {
    HPDF_Doc doc = HPDF_New(errorHandler, nullptr);
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    HPDF_Font font = HPDF_GetFont(doc, "Helvetica", "WinAnsiEncoding");
    HPDF_Page page = HPDF_AddPage(doc);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 12);
    HPDF_Page_TextOut(page, 42, 800, "AVVISO DI PAGAMENTO");
    HPDF_Page_EndText(page);
    HPDF_SaveToStream(doc);
    HPDF_UINT32 size = HPDF_GetStreamSize(doc);
    std::string out(size, '\0');
    HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    benchmark::DoNotOptimize(out);
    HPDF_Free(doc);
  }
  noticeRate(state, 1);
}
BENCHMARK(EmptyPage);

void QrOnly(benchmark::State& state) {
  const std::string payload =
      *qrPayload(position(1).options[0].notice_number, kCremona.fiscal_code, 18500);
  for (auto _ : state) {
    QRcode* code = QRcode_encodeString(payload.c_str(), 4, QR_ECLEVEL_M, QR_MODE_8, 1);
    benchmark::DoNotOptimize(code);
    QRcode_free(code);
  }
  noticeRate(state, 1);
}
BENCHMARK(QrOnly);

void Notice(benchmark::State& state) {
  const DebtPosition p = position(static_cast<int>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto pdf = renderNoticePdf({"Comune di Cremona", kCremona, p});
    if (!pdf) {
      state.SkipWithError(pdf.error().detail.c_str());
      break;
    }
    bytes = pdf->size();
  }
  noticeRate(state, 1);
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(Notice)->Arg(1)->ArgName("options");
BENCHMARK(Notice)->Name("NoticePlan")->Arg(3)->ArgName("options");

void Bulk(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const DebtPosition p = position(1);
  std::size_t bytes = 0;
  for (auto _ : state) {
    NoticeDocument doc("Avvisi di pagamento");
    for (int i = 0; i < n; ++i)
      if (!doc.add({"Comune di Cremona", kCremona, p})) state.SkipWithError("add");
    auto pdf = doc.finish();
    if (!pdf) {
      state.SkipWithError(pdf.error().detail.c_str());
      break;
    }
    bytes = pdf->size();
  }
  noticeRate(state, n);
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(Bulk)->Arg(500)->ArgName("notices")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
