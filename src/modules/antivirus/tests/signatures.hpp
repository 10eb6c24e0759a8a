#pragma once
// Signature databases for the tests: the project's offline test signatures, plus (when asked) a
// `daily.cud` with a chosen build time, so that a real clamd reports "ClamAV x/<version>/<date>"
// as it does with the official database. A .cud is ClamAV's unsigned container (sigtool
// --unsigned): a 512-byte "ClamAV-VDB:" header, then a gzip'd tar holding daily.info (the same
// header line and each file's size and SHA-256) and the signature files. clamd loads it without a
// digital signature and takes the daily version and build time from it (libclamav cvd.c).
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.hpp"

namespace cst::antivirus::testing {

inline std::filesystem::path testSignatures() {
  return std::filesystem::path(CST_SOURCE_DIR) / "resources" / "clamav-testdb";
}

namespace detail {

inline std::string tarEntry(const std::string& name, const std::string& data, long mtime) {
  std::string h(512, '\0');
  auto put = [&h](std::size_t at, const std::string& v) { h.replace(at, v.size(), v); };
  auto octal = [](unsigned long v, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*lo", width - 1, v);
    return std::string(buf);
  };
  put(0, name);
  put(100, octal(0644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(data.size(), 12));
  put(136, octal(static_cast<unsigned long>(mtime), 12));
  put(148, std::string(8, ' '));
  h[156] = '0';
  put(257, std::string("ustar\0"
                       "00",
                       8));
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof chk, "%06o", sum);
  put(148, std::string(chk, 6) + std::string("\0 ", 2));
  std::string out = h + data;
  out.resize((out.size() + 511) / 512 * 512, '\0');
  return out;
}

inline std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace detail

// A copy of the test signatures in `dir` plus a daily.cud built at `built` with `version`.
inline void writeSignatures(const std::filesystem::path& dir,
                            std::chrono::system_clock::time_point built, long version) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(testSignatures()))
    if (e.path().extension() != ".md")
      fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
  const long stime = static_cast<long>(std::chrono::system_clock::to_time_t(built));
  std::time_t t = stime;
  char when[64];
  std::strftime(when, sizeof when, "%d %b %Y %H-%M +0000", std::gmtime(&t));
  const std::string head = "ClamAV-VDB:" + std::string(when) + ":" + std::to_string(version) +
                           ":1:90:X:X:cst-test:" + std::to_string(stime);
  // A harmless marker of its own ("CST-DAILY-MARKER"), so the daily database has one signature.
  const std::string ndb = "Cst.Daily.Marker:0:*:4353542d4441494c592d4d41524b4552\n";
  const std::string info =
      head + "\ndaily.ndb:" + std::to_string(ndb.size()) + ":" + sha256Hex(ndb) + "\n";
  const std::string tar = detail::tarEntry("daily.info", info, stime) +
                          detail::tarEntry("daily.ndb", ndb, stime) + std::string(1024, '\0');
  std::string header = head;
  header.resize(512, ' ');
  std::ofstream(dir / "daily.cud", std::ios::binary) << header << detail::gzip(tar);
}

}  // namespace cst::antivirus::testing
