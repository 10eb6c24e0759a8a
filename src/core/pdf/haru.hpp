#pragma once
// What the PDFs written with libharu share (the payment notices, the daily protocol registers):
// the error handler, which keeps the first error for the caller (throwing from it would unwind
// through C frames), and the finished document as a string. Header-only: only the modules that
// link libharu include it.
#include <hpdf.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cst::pdf {

struct HaruErrors {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
};

// The handler to pass to HPDF_New with a HaruErrors as `user`.
inline void onHaruError(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<HaruErrors*>(user);
  if (e->error == HPDF_OK) {
    e->error = error;
    e->detail = detail;
  }
}

// kInternal: `what` failed, with libharu's codes.
inline tl::unexpected<Error> haruFailure(const HaruErrors& e, std::string_view what) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(e.error));
  return fail(ErrorCode::kInternal,
              std::string(what) + " (libharu " + code + ", " + std::to_string(e.detail) + ")");
}

// The finished document's bytes; `what` names it in the error.
inline Result<std::string> saveToString(HPDF_Doc doc, const HaruErrors& errors,
                                        std::string_view what) {
  if (errors.error != HPDF_OK || HPDF_SaveToStream(doc) != HPDF_OK)
    return haruFailure(errors, what);
  HPDF_UINT32 size = HPDF_GetStreamSize(doc);
  std::string out(size, '\0');
  if (HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size) != HPDF_OK)
    return haruFailure(errors, what);
  out.resize(size);
  return out;
}

}  // namespace cst::pdf
