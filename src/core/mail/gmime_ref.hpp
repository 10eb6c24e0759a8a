#pragma once
// Private to core/mail: scope guards for GMime's reference-counted objects and g_malloc'ed
// strings, and its one-time initialisation, shared by reading (mime.cpp) and writing (smtp.cpp).
#include <gmime/gmime.h>

#include <mutex>
#include <string>

namespace cst::mail {

// GObject references released at the end of the scope.
template <class T>
struct Ref {
  T* p = nullptr;
  explicit Ref(T* ptr) : p(ptr) {}
  ~Ref() {
    if (p) g_object_unref(p);
  }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
};

// g_malloc'ed strings released at the end of the scope.
struct GString_ {
  char* s = nullptr;
  explicit GString_(char* str) : s(str) {}
  ~GString_() { g_free(s); }
  GString_(const GString_&) = delete;
  GString_& operator=(const GString_&) = delete;
  std::string str() const { return s ? s : ""; }
};

inline void initOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace cst::mail
