// Images and audio whose Allegato 2 card depends on more than the signature: TIFF and WAV
// (compressed or not), JPEG (the JFIF version).
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "format_detect.hpp"

namespace cst::preservation::detect {

FileFormat tiff(std::string_view head, const Bytes& file) {
  const bool little = head[0] == 'I';
  const bool big_tiff = (little ? le(head, 2, 2) : be(head, 2, 2)) == 43;
  auto num = [little](std::string_view b, std::size_t at, int n) {
    return little ? le(b, at, n) : be(b, at, n);
  };
  const std::uint64_t ifd = big_tiff ? num(head, 8, 8) : num(head, 4, 4);
  const int count_size = big_tiff ? 8 : 2, entry_size = big_tiff ? 20 : 12;
  const std::string count_bytes = file.read(ifd, static_cast<std::size_t>(count_size));
  const std::uint64_t count = std::min<std::uint64_t>(num(count_bytes, 0, count_size), 4096);
  const std::string entries =
      file.read(ifd + count_size, static_cast<std::size_t>(count) * entry_size);
  std::uint64_t compression = 1;
  for (std::size_t i = 0; (i + 1) * entry_size <= entries.size(); ++i) {
    const std::size_t e = i * entry_size;
    if (num(entries, e, 2) != 259) continue;
    // A SHORT value sits in the first bytes of the value field, in the file's byte order.
    compression = num(entries, e + (big_tiff ? 12 : 8), 2);
  }
  return known(compression == 1 ? "tiff" : "tiff-compressed");
}

FileFormat wav(std::string_view head) {
  for (std::size_t p = 12; p + 8 <= head.size();) {
    const std::uint64_t size = le(head, p + 4, 4);
    if (head.compare(p, 4, "fmt ") == 0) {
      std::uint64_t tag = le(head, p + 8, 2);
      if (tag == 0xFFFE) tag = le(head, p + 8 + 24, 2);  // WAVE_FORMAT_EXTENSIBLE: its SubFormat
      return known(tag == 1 || tag == 3 ? "wav" : "wav-compressed");
    }
    p += 8 + size + (size & 1);
  }
  return known("wav-compressed");
}

FileFormat jpeg(std::string_view head) {
  // JFIF APP0: FF D8 FF E0 00 10 "JFIF" 00, version major.minor.
  if (head.size() >= 13 && head.compare(6, 5, std::string_view("JFIF\0", 5)) == 0 &&
      head[11] == 1) {
    static constexpr std::array<std::string_view, 3> puids{"fmt/42", "fmt/43", "fmt/44"};
    const auto minor = static_cast<unsigned char>(head[12]);
    if (minor < puids.size())
      return known("jpeg", "JPEG (JFIF 1.0" + std::to_string(minor) + ")",
                   std::string(puids[minor]));
  }
  return known("jpeg");
}

}  // namespace cst::preservation::detect
