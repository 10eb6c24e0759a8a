#pragma once
// The keys the platform makes for itself when nobody gave it one: the electronic seal
// (xml/signature) and the local time-stamping authority (sign/timestamp). Both are a private key
// and a self-signed certificate kept as two PEM files, created at first use and read back after;
// they differ only in file names and certificate extensions.
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "xml/signature.hpp"  // SealKey: a key and its certificate, PEM

namespace cst::sign {

// One X.509v3 extension in OpenSSL's configuration syntax (x509v3_config(5)), e.g.
// {"extendedKeyUsage", "critical,timeStamping"}.
struct CertificateExtension {
  std::string name;
  std::string value;
};

// The key and certificate in `key_file` and `certificate_file`. When either is missing: a new
// RSA-3072 key and a self-signed certificate (subject and issuer C=IT, CN=`subject_cn`; 10 years;
// a 128-bit random serial; SHA-256; `extensions`) written there first, the key with mode 0600 from
// its first byte, the certificate last, so a key left without its certificate by a crash is
// replaced, never paired with another. Each file is written through a temporary file and a rename.
// Thread-safe. kUnavailable when the files cannot be written; kInternal when OpenSSL refuses an
// extension.
Result<xml::SealKey> loadOrCreateKeyPair(const std::filesystem::path& key_file,
                                         const std::filesystem::path& certificate_file,
                                         const std::string& subject_cn,
                                         const std::vector<CertificateExtension>& extensions = {});

}  // namespace cst::sign
