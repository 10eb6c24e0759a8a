#include "copies.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>
#include <sstream>

#include "common/crypto.hpp"

namespace cst::preservation {

namespace fs = std::filesystem;

Copies::Copies(const std::vector<fs::path>& roots, std::uint64_t max_bytes) {
  for (const fs::path& r : roots)
    stores_.push_back(std::make_unique<blob::BlobStore>(r, max_bytes));
}

Status Copies::putFile(const fs::path& file, const std::string& sha256) {
  for (auto& store : stores_) {
    if (store->exists(sha256)) continue;
    // A copy of our own in the store's temp dir, which the store then moves into place.
    const fs::path temp = store->tempDir() / ("copy-" + randomToken(12));
    std::error_code ec;
    fs::copy_file(file, temp, ec);
    if (ec)
      return fail(ErrorCode::kUnavailable, "conservazione: copia non scrivibile: " + ec.message());
    auto stored = store->adoptFile(temp, sha256);
    if (!stored) return tl::unexpected(stored.error());
  }
  return {};
}

Result<std::string> Copies::putBytes(std::string_view bytes) {
  const std::string sha = sha256Hex(bytes);
  for (auto& store : stores_) {
    if (store->exists(sha)) continue;
    std::istringstream in{std::string(bytes)};
    auto stored = store->put(in);
    if (!stored) return tl::unexpected(stored.error());
  }
  return sha;
}

Result<fs::path> Copies::intactPath(const std::string& sha256) const {
  for (const auto& store : stores_) {
    const fs::path p = store->pathOf(sha256);
    if (auto actual = sha256File(p); actual && *actual == sha256) return p;
  }
  return fail(ErrorCode::kUnavailable,
              "conservazione: nessuna copia integra dell'oggetto " + sha256);
}

Result<std::string> Copies::read(const std::string& sha256) const {
  // Read then hashed (not hashed then read): the bytes returned are the bytes checked.
  for (const auto& store : stores_) {
    std::ifstream in(store->pathOf(sha256), std::ios::binary);
    if (!in) continue;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (sha256Hex(bytes.str()) == sha256) return bytes.str();
  }
  return fail(ErrorCode::kUnavailable,
              "conservazione: nessuna copia integra dell'oggetto " + sha256);
}

fs::path Copies::pathIn(std::size_t copy, const std::string& sha256) const {
  return stores_.at(copy)->pathOf(sha256);
}

namespace {
// The SHA-256 and size of a file, read in large blocks; nullopt when it cannot be opened.
std::optional<std::pair<std::string, std::int64_t>> hashed(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  thread_local std::vector<char> buffer(1 << 20);
  Sha256 h;
  std::int64_t size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      if (n < 0) return std::nullopt;
      return std::pair{h.hexDigest(), size};
    }
    h.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    size += n;
  }
}
}  // namespace

Result<std::vector<Copies::CopyState>> Copies::verify(const std::string& sha256) const {
  std::vector<CopyState> out;
  for (const auto& store : stores_) {
    CopyState c;
    const fs::path p = store->pathOf(sha256);
    if (auto h = hashed(p)) {
      c.present = true;
      c.size = h->second;
      c.intact = h->first == sha256;
    } else {
      // Absent, or the whole copy unreadable (a disk not mounted): only the latter stops the
      // audit rather than report every object of the copy as missing.
      std::error_code ec;
      if (!fs::exists(store->tempDir().parent_path() / "objects", ec))
        return fail(ErrorCode::kUnavailable, "conservazione: copia non leggibile: " +
                                                 store->tempDir().parent_path().string());
      c.present = fs::exists(p, ec);
    }
    out.push_back(c);
  }
  return out;
}

Status Copies::repair(const std::string& sha256, std::size_t good, std::size_t damaged) {
  blob::BlobStore& target = *stores_.at(damaged);
  const fs::path temp = target.tempDir() / ("repair-" + randomToken(12));
  std::error_code ec;
  fs::copy_file(stores_.at(good)->pathOf(sha256), temp, ec);
  if (ec) {
    fs::remove(temp, ec);
    return fail(ErrorCode::kUnavailable, "conservazione: copia non riparabile: " + ec.message());
  }
  auto replaced = target.replace(temp, sha256);  // re-hashes what was copied
  if (!replaced) return tl::unexpected(replaced.error());
  return {};
}

Status Copies::remove(const std::string& sha256) {
  for (auto& store : stores_)
    if (auto s = store->remove(sha256); !s) return s;
  return {};
}

}  // namespace cst::preservation
