#include "blob/blob_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <vector>

#include "common/crypto.hpp"

namespace cst::blob {

namespace fs = std::filesystem;

namespace {
bool fsyncPath(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

bool validSha(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Creates an object's shard directory (objects/ab/cd) when missing and makes the new entries
// durable: the directory itself and the two above it.
void ensureShard(const fs::path& shard) {
  std::error_code ec;
  if (!fs::create_directories(shard, ec)) return;
  fsyncPath(shard, true);
  fsyncPath(shard.parent_path(), true);
  fsyncPath(shard.parent_path().parent_path(), true);
}
}  // namespace

BlobStore::BlobStore(fs::path root, std::uint64_t max_bytes)
    : root_(std::move(root)), max_bytes_(max_bytes) {
  std::error_code ec;
  fs::create_directories(root_ / "objects", ec);
  fs::create_directories(root_ / "tmp", ec);
}

fs::path BlobStore::pathOf(const std::string& sha) const {
  if (!validSha(sha)) return {};
  return root_ / "objects" / sha.substr(0, 2) / sha.substr(2, 2) / sha;
}

void BlobStore::prepare(const std::string& sha) const {
  const fs::path p = pathOf(sha);
  if (!p.empty()) ensureShard(p.parent_path());
}

bool BlobStore::exists(const std::string& sha) const {
  std::error_code ec;
  const fs::path p = pathOf(sha);
  return !p.empty() && fs::exists(p, ec);
}

Result<BlobRef> BlobStore::commit(const fs::path& temp, const std::string& sha,
                                  std::uint64_t size) {
  std::error_code ec;
  const fs::path final_path = pathOf(sha);
  if (fs::exists(final_path, ec)) {
    fs::remove(temp, ec);  // same content already stored: never rewrite an object
    return BlobRef{sha, size};
  }
  ensureShard(final_path.parent_path());
  if (!fsyncPath(temp, false)) return fail(ErrorCode::kUnavailable, "storage: fsync failed");
  fs::rename(temp, final_path, ec);
  if (ec) {
    fs::remove(temp, ec);
    return fail(ErrorCode::kUnavailable, "storage: cannot store object");
  }
  // The new name is durable once its directory is (the shard's own entry was synced when it was
  // created: each fsync is a journal commit every other writer waits behind).
  fsyncPath(final_path.parent_path(), true);
  return BlobRef{sha, size};
}

Result<BlobRef> BlobStore::adoptFile(const fs::path& file, std::string_view known_sha256) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) return fail(ErrorCode::kInternal, "storage: cannot read " + file.string());
  if (size > max_bytes_)
    return fail(ErrorCode::kTooLarge,
                "file oltre il limite di " + std::to_string(max_bytes_) + " byte");
  auto sha = known_sha256.empty() ? sha256File(file) : Result<std::string>(known_sha256);
  if (!sha) return tl::unexpected(sha.error());
  // Move into our temp dir first, so the final rename never crosses a filesystem.
  const fs::path temp = tempDir() / ("adopt-" + randomToken(12));
  fs::rename(file, temp, ec);
  if (ec) {
    fs::copy_file(file, temp, ec);
    if (ec) return fail(ErrorCode::kUnavailable, "storage: cannot move upload into the store");
  }
  return commit(temp, *sha, size);
}

Result<BlobRef> BlobStore::put(std::istream& in) {
  const fs::path temp = tempDir() / ("put-" + randomToken(12));
  std::ofstream out(temp, std::ios::binary);
  if (!out) return fail(ErrorCode::kUnavailable, "storage: cannot create a temporary file");
  Sha256 hash;
  std::uint64_t size = 0;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    size += n;
    if (size > max_bytes_) {
      out.close();
      std::error_code ec;
      fs::remove(temp, ec);
      return fail(ErrorCode::kTooLarge,
                  "file oltre il limite di " + std::to_string(max_bytes_) + " byte");
    }
    hash.update(std::string_view(buf.data(), n));
    out.write(buf.data(), static_cast<std::streamsize>(n));
  }
  out.close();
  if (!out) {
    std::error_code ec;
    fs::remove(temp, ec);
    return fail(ErrorCode::kUnavailable, "storage: write failed (disk full?)");
  }
  return commit(temp, hash.hexDigest(), size);
}

Result<BlobRef> BlobStore::replace(const fs::path& file, const std::string& sha) {
  std::error_code ec;
  const fs::path final_path = pathOf(sha);
  if (final_path.empty()) return fail(ErrorCode::kBadInput, "storage: not an object name");
  auto actual = sha256File(file);
  if (!actual) return tl::unexpected(actual.error());
  if (*actual != sha) {
    fs::remove(file, ec);
    return fail(ErrorCode::kRuleViolated, "storage: the replacement does not have the hash " + sha);
  }
  const std::uint64_t size = fs::file_size(file, ec);
  ensureShard(final_path.parent_path());
  if (!fsyncPath(file, false)) return fail(ErrorCode::kUnavailable, "storage: fsync failed");
  fs::rename(file, final_path, ec);  // atomic: a reader sees the damaged or the good bytes
  if (ec) {
    fs::remove(file, ec);
    return fail(ErrorCode::kUnavailable, "storage: cannot replace object");
  }
  fsyncPath(final_path.parent_path(), true);
  return BlobRef{sha, size};
}

Status BlobStore::remove(const std::string& sha) {
  const fs::path p = pathOf(sha);
  if (p.empty()) return fail(ErrorCode::kBadInput, "storage: not an object name");
  std::error_code ec;
  if (!fs::remove(p, ec) && ec)
    return fail(ErrorCode::kUnavailable, "storage: cannot delete object");
  fsyncPath(p.parent_path(), true);
  return {};
}

}  // namespace cst::blob
