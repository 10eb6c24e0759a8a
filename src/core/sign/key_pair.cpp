#include "sign/key_pair.hpp"

#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

#include "sign/openssl.hpp"

namespace cst::sign {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path` through a temporary file and a rename: a crash leaves the old file or
// the new one, never half of one. The temporary file is created with `mode`, so a private key is
// never readable by others, not even for a moment.
bool writeAtomically(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path temp = path.string() + ".tmp";
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return false;
  // The umask may have taken bits away from `mode`; the file gets exactly `mode`.
  bool ok = ::fchmod(fd, mode) == 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  std::error_code ec;
  if (ok) fs::rename(temp, path, ec);
  if (!ok || ec) ::unlink(temp.c_str());
  return ok && !ec;
}

Result<xml::SealKey> newKeyPair(const std::string& subject_cn,
                                const std::vector<CertificateExtension>& extensions) {
  ossl::Key key(EVP_RSA_gen(3072));
  ossl::Certificate cert(X509_new());
  // RFC 5280 §4.1.2.2 allows 20 octets; 128 random bits make a serial nobody can predict.
  ossl::Integer serial = ossl::randomInteger(128);
  if (!key || !cert || !serial) return fail(ErrorCode::kInternal, "cannot create a key");
  X509_set_version(cert.get(), 2);
  X509_set_serialNumber(cert.get(), serial.get());
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("IT"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(subject_cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& e : extensions) {
    X509_EXTENSION* ext = X509V3_EXT_nconf(nullptr, &ctx, e.name.c_str(), e.value.c_str());
    const bool added = ext && X509_add_ext(cert.get(), ext, -1) == 1;
    X509_EXTENSION_free(ext);
    if (!added)
      return fail(ErrorCode::kInternal,
                  "certificate extension " + e.name + ": " + ossl::errorText());
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    return fail(ErrorCode::kInternal, "cannot sign the certificate: " + ossl::errorText());
  ossl::Bio key_out = ossl::writeBio();
  if (!key_out ||
      !PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
    return fail(ErrorCode::kInternal, "cannot write the key as PEM");
  std::string cert_pem = ossl::certificateToPem(cert.get());
  if (cert_pem.empty()) return fail(ErrorCode::kInternal, "cannot write the certificate as PEM");
  return xml::SealKey{ossl::bioBytes(key_out.get()), std::move(cert_pem)};
}

}  // namespace

Result<xml::SealKey> loadOrCreateKeyPair(const fs::path& key_file, const fs::path& certificate_file,
                                         const std::string& subject_cn,
                                         const std::vector<CertificateExtension>& extensions) {
  auto key = readFile(key_file);
  auto cert = readFile(certificate_file);
  if (key && cert) return xml::SealKey{*key, *cert};
  static std::mutex creating;
  std::lock_guard lock(creating);
  key = readFile(key_file);
  cert = readFile(certificate_file);
  if (key && cert) return xml::SealKey{*key, *cert};
  std::error_code ec;
  fs::create_directories(certificate_file.parent_path(), ec);
  fs::create_directories(key_file.parent_path(), ec);
  auto fresh = newKeyPair(subject_cn, extensions);
  if (!fresh) return fresh;
  if (!writeAtomically(key_file, fresh->key_pem, 0600) ||
      !writeAtomically(certificate_file, fresh->certificate_pem, 0644))
    return fail(ErrorCode::kUnavailable,
                "cannot write " + key_file.string() + " and " + certificate_file.string());
  return fresh;
}

}  // namespace cst::sign
