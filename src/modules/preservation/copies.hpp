#pragma once
// The copies of preserved content: two or more content-addressed blob stores (directories, ideally
// on different disks), every object written to each of them. A copy is verified by re-hashing;
// reading takes the first copy whose bytes still match their name.
#include <filesystem>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "blob/blob_store.hpp"
#include "common/result.hpp"

namespace cst::preservation {

class Copies {
 public:
  Copies(const std::vector<std::filesystem::path>& roots, std::uint64_t max_bytes);
  // `file` (left in place) into every copy; `sha256` is its hash, already computed.
  Status putFile(const std::filesystem::path& file, const std::string& sha256);
  Result<std::string> putBytes(std::string_view bytes);  // the SHA-256
  // The object's bytes from the first copy whose content still has this hash.
  Result<std::string> read(const std::string& sha256) const;
  // The file of the first copy whose content still has this hash (re-hashed now), to stream.
  Result<std::filesystem::path> intactPath(const std::string& sha256) const;
  // What each copy holds of the object: present or not, and whether its bytes have its hash.
  struct CopyState {
    bool present = false;
    bool intact = false;
    std::int64_t size = 0;
  };
  // Re-hashes the object in every copy (in order); kUnavailable when a copy cannot be read at all
  // (the disk, not the object).
  Result<std::vector<CopyState>> verify(const std::string& sha256) const;
  // Rewrites copy `damaged` of the object from copy `good` (0-based), checking the result.
  Status repair(const std::string& sha256, std::size_t good, std::size_t damaged);
  // Deletes the object from every copy (scarto).
  Status remove(const std::string& sha256);
  std::size_t count() const { return stores_.size(); }
  std::filesystem::path pathIn(std::size_t copy, const std::string& sha256) const;
  std::filesystem::path tempDir() const { return stores_.front()->tempDir(); }
  // Held shared by whoever writes objects before the rows that hold them commit (an ingest) or
  // judges an object by the rows (a fixity audit), and exclusively by a scarto while it decides
  // which objects no live package holds and deletes them: an object written by an ingest still in
  // flight is not yet referenced by any row, and deleting it would leave that package without
  // content. One process serves the archive (several instances need a database lock instead).
  std::shared_mutex& contentLock() const { return content_lock_; }

 private:
  std::vector<std::unique_ptr<blob::BlobStore>> stores_;
  mutable std::shared_mutex content_lock_;
};

}  // namespace cst::preservation
