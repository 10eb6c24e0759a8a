#include "dip.hpp"

#include "common/crypto.hpp"
#include "sign/cades.hpp"
#include "sign/timestamp.hpp"
#include "sincro.hpp"
#include "zip_file.hpp"

namespace cst::preservation {

namespace {

constexpr const char* kIndex = "indice.xml";
constexpr const char* kSignature = "indice.xml.p7s";
constexpr const char* kTimeStamp = "indice.xml.p7s.tsr";
constexpr const char* kReadme = "LEGGIMI.txt";

std::string readme(const Aip& a) {
  return "Pacchetto di distribuzione (DIP) del pacchetto di archiviazione " + a.id + "\n" +
         "Ente: " + a.ente + " - " + a.title + "\n" + "Indice: " + kIndex +
         " (UNI 11386:2020 SInCRO v2), firmato in " + kSignature + " (CAdES-BES) e marcato in " +
         kTimeStamp + " (RFC 3161, " + a.tsa + ", " + a.timestamp_time +
         ").\n\n"
         "Verifica:\n"
         "  cst conservazione verify questo.zip\n"
         "oppure con OpenSSL:\n"
         "  openssl cms -verify -binary -cades -inform DER -in indice.xml.p7s -content "
         "indice.xml -CAfile certificati/sigillo.pem -purpose any -out /dev/null\n"
         "  openssl ts -verify -data indice.xml.p7s -in indice.xml.p7s.tsr -CAfile "
         "certificati/tsa.pem -untrusted certificati/tsa.pem\n"
         "  sha256sum dei file elencati nell'indice (elementi Hash).\n";
}

}  // namespace

Status writeDip(const std::filesystem::path& out, const Aip& a, const Copies& copies,
                const std::string& seal_pem, const std::string& tsa_pem) {
  std::vector<ZipEntry> entries;
  for (const ObjectFacts& f : a.files) {
    auto file = copies.intactPath(f.sha256);
    if (!file) return tl::unexpected(file.error());
    entries.push_back({f.path, "", *file});
  }
  entries.push_back({kSealCertificatePath, seal_pem, {}});
  entries.push_back({kTsaCertificatePath, tsa_pem, {}});
  entries.push_back({kReadme, readme(a), {}});
  return writeZipFile(out, entries);
}

namespace {

// The signature of the index and the time-stamp over the signature: checked on the bytes, even
// when the index itself cannot be read.
void checkSignatureAndTime(const std::map<std::string, std::string>& entries,
                           const std::string& index_xml, const std::string& seal_pem,
                           const std::string& tsa_pem, DipReport& r) {
  const auto entry = [&](const std::string& name) -> const std::string* {
    auto it = entries.find(name);
    return it == entries.end() ? nullptr : &it->second;
  };
  const std::string* signature = entry(kSignature);
  const std::string* seal = seal_pem.empty() ? entry(kSealCertificatePath) : &seal_pem;
  if (!signature || !seal) {
    r.failed.push_back(std::string(kSignature) + ": firma o certificato del sigillo assente");
  } else if (auto s = sign::verifyDetached(*signature, index_xml, *seal); !s) {
    r.failed.push_back(std::string(kSignature) + ": firma non valida: " + s.error().detail);
  } else {
    r.passed.push_back(std::string(kSignature) + ": firma CAdES dell'indice valida" +
                       (seal_pem.empty() ? " (certificato contenuto nel DIP)" : ""));
  }
  const std::string* stamp = entry(kTimeStamp);
  const std::string* tsa = tsa_pem.empty() ? entry(kTsaCertificatePath) : &tsa_pem;
  if (!stamp || !tsa || !signature) {
    r.failed.push_back(std::string(kTimeStamp) + ": marca temporale o certificato TSA assente");
  } else if (auto t = sign::verifyTimeStamp(*stamp, *signature, *tsa); !t) {
    r.failed.push_back(std::string(kTimeStamp) +
                       ": marca temporale non valida: " + t.error().detail);
  } else {
    r.time = t->gen_time;
    r.passed.push_back(std::string(kTimeStamp) + ": marca temporale valida, " + t->gen_time +
                       (tsa_pem.empty() ? " (certificato contenuto nel DIP)" : ""));
  }
}

}  // namespace

DipReport verifyDip(const std::map<std::string, std::string>& entries, const std::string& seal_pem,
                    const std::string& tsa_pem) {
  DipReport r;
  auto it = entries.find(kIndex);
  if (it == entries.end()) {
    r.failed.push_back(std::string(kIndex) + ": assente");
    return r;
  }
  const std::string& index_xml = it->second;
  checkSignatureAndTime(entries, index_xml, seal_pem, tsa_pem, r);
  if (auto s = checkSincroStructure(index_xml); !s)
    r.failed.push_back(std::string(kIndex) + ": struttura SInCRO non valida: " + s.error().detail);
  else
    r.passed.push_back(std::string(kIndex) + ": struttura SInCRO v2 valida");
  auto index = parseSincro(index_xml);
  if (!index) {
    r.failed.push_back(std::string(kIndex) + ": illeggibile: " + index.error().detail);
    return r;
  }

  // Every file the index lists, with its hash; nothing else beside the index's own files.
  std::map<std::string, bool> listed;
  for (const SincroFileGroup& g : index->file_groups)
    for (const SincroFile& f : g.files) {
      listed[f.path] = true;
      auto file = entries.find(f.path);
      if (file == entries.end())
        r.failed.push_back(f.path + ": elencato nell'indice ma assente");
      else if (sha256Hex(file->second) != f.sha256)
        r.failed.push_back(f.path + ": impronta SHA-256 diversa da quella dell'indice");
      else
        r.passed.push_back(f.path + ": impronta SHA-256 conforme");
    }
  for (const auto& [name, bytes] : entries) {
    if (listed.count(name) || name == kIndex || name == kSignature || name == kTimeStamp ||
        name == kReadme || name == kSealCertificatePath || name == kTsaCertificatePath)
      continue;
    r.failed.push_back(name + ": file non elencato nell'indice");
  }
  return r;
}

}  // namespace cst::preservation
