// CMS envelopes (CAdES .p7m/.p7s) and RFC 3161 time-stamps, in DER/BER or saved as base64 text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "format_detect.hpp"

namespace cst::preservation::detect {

namespace {

// One DER/BER TLV header at `p`: tag, and where its content starts and ends (end = npos for
// the indefinite length of BER).
struct Tlv {
  unsigned char tag = 0;
  std::size_t content = 0, end = 0;
};

std::optional<Tlv> tlv(std::string_view b, std::size_t p) {
  if (p + 2 > b.size()) return std::nullopt;
  Tlv t;
  t.tag = static_cast<unsigned char>(b[p]);
  const auto first = static_cast<unsigned char>(b[p + 1]);
  if (first < 0x80) {
    t.content = p + 2;
    t.end = t.content + first;
  } else if (first == 0x80) {
    t.content = p + 2;
    t.end = std::string_view::npos;
  } else {
    const int n = first & 0x7F;
    if (n > 4 || p + 2 + n > b.size()) return std::nullopt;
    t.content = p + 2 + n;
    t.end = t.content + be(b, p + 2, n);
  }
  return t;
}

// RFC 5652 §3, §5: ContentInfo { contentType signedData (1.2.840.113549.1.7.2), [0] SignedData }:
// "p7m" when the signed content is inside (attached), "p7s" when detached, "tst" when it is an RFC
// 3161 token (eContentType id-ct-TSTInfo 1.2.840.113549.1.9.16.1.4).
std::optional<std::string_view> cmsKind(std::string_view der) {
  static constexpr std::string_view kSignedData("\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02", 11);
  static constexpr std::string_view kTstInfo("\x06\x0B\x2A\x86\x48\x86\xF7\x0D\x01\x09\x10\x01\x04",
                                             13);
  auto info = tlv(der, 0);
  if (!info || info->tag != 0x30 || der.compare(info->content, kSignedData.size(), kSignedData))
    return std::nullopt;
  // Past the OID: [0] { SignedData SEQUENCE { version, digestAlgorithms SET, encapContentInfo } }
  auto explicit0 = tlv(der, info->content + kSignedData.size());
  if (!explicit0 || explicit0->tag != 0xA0) return "p7m";
  auto signed_data = tlv(der, explicit0->content);
  if (!signed_data || signed_data->tag != 0x30) return "p7m";
  auto version = tlv(der, signed_data->content);
  if (!version || version->tag != 0x02 || version->end == std::string_view::npos) return "p7m";
  auto digests = tlv(der, version->end);
  if (!digests || digests->tag != 0x31 || digests->end == std::string_view::npos) return "p7m";
  auto encap = tlv(der, digests->end);
  if (!encap || encap->tag != 0x30) return "p7m";
  auto type = tlv(der, encap->content);
  if (!type || type->tag != 0x06 || type->end == std::string_view::npos) return "p7m";
  if (der.compare(encap->content, kTstInfo.size(), kTstInfo) == 0) return "tst";
  // eContent [0] follows the type only when the content is attached.
  if (encap->end != std::string_view::npos && type->end >= encap->end) return "p7s";
  auto content = tlv(der, type->end);
  if (!content) return "p7m";
  return content->tag == 0xA0 ? "p7m" : "p7s";
}

}  // namespace

// A time-stamp reply as a TSA sends it, kept as .tsr (RFC 3161 §2.4.2): TimeStampResp SEQUENCE {
// status PKIStatusInfo SEQUENCE { INTEGER, ... }, timeStampToken ContentInfo }.
std::optional<std::string_view> derKind(std::string_view der) {
  if (auto kind = cmsKind(der)) return kind;
  auto response = tlv(der, 0);
  if (!response || response->tag != 0x30) return std::nullopt;
  auto status = tlv(der, response->content);
  if (!status || status->tag != 0x30 || status->end >= der.size()) return std::nullopt;
  auto granted = tlv(der, status->content);
  if (!granted || granted->tag != 0x02) return std::nullopt;
  if (cmsKind(der.substr(status->end)) == "tst") return "tsr";
  return std::nullopt;
}

namespace {

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The first `max` bytes a base64 text decodes to (line breaks skipped); nullopt when something
// else than base64 comes first.
std::optional<std::string> base64Prefix(std::string_view text, std::size_t max) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (out.size() >= max) break;
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    if (c == '=' || c == '-') break;  // padding, or PEM's "-----END" line
    const int v = base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

std::optional<std::string_view> textualCms(std::string_view text) {
  text = skipSpace(text);
  if (startsWith(text, "-----BEGIN PKCS7-----") || startsWith(text, "-----BEGIN CMS-----") ||
      startsWith(text, "-----BEGIN PKCS #7 SIGNED DATA-----")) {
    const std::size_t eol = text.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    text.remove_prefix(eol + 1);
  } else if (!startsWith(text, "MI")) {  // base64 of 0x30 0x8x: a long DER SEQUENCE
    return std::nullopt;
  }
  auto der = base64Prefix(text.substr(0, 8 * 1024), 4 * 1024);
  if (!der) return std::nullopt;
  return cmsKind(*der);
}

}  // namespace cst::preservation::detect
