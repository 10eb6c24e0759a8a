#pragma once
// Test files shared by the suites.
#include <cstdint>
#include <string>

namespace cst::testkit {

// The EICAR antivirus test file, assembled at run time so that no source file is itself a
// "virus" to the scanners of the machines that hold it.
inline std::string eicar() {
  return std::string("X5O!P%@AP[4\\PZX54(P^)7CC)7}$") + "EICAR-STANDARD-" + "ANTIVIRUS-TEST-" +
         "FILE!$H+H*";
}

inline std::string base64(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// An e-mail (RFC 5322, MIME) with a text part and one base64 attachment, as a mail server pipes
// it to `cst helpdesk mail-in`.
inline std::string mailWithAttachment(const std::string& from, const std::string& subject,
                                      const std::string& name, const std::string& content) {
  return "From: " + from + "\r\nTo: assistenza@cst-cremona.example\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + name +
         "@example>\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"XyZ\"\r\n\r\n"
         "--XyZ\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIn allegato il file.\r\n"
         "--XyZ\r\nContent-Type: application/octet-stream\r\n"
         "Content-Disposition: attachment; filename=\"" +
         name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64(content) +
         "\r\n--XyZ--\r\n";
}

}  // namespace cst::testkit
