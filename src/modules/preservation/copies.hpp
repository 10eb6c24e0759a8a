#pragma once
// The copies of preserved content: two or more content-addressed blob stores (directories, ideally
// on different disks), every object written to each of them. A copy is verified by re-hashing;
// reading takes the first copy whose bytes still match their name.
#include <filesystem>
#include <memory>
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
  std::size_t count() const { return stores_.size(); }
  std::filesystem::path pathIn(std::size_t copy, const std::string& sha256) const;
  std::filesystem::path tempDir() const { return stores_.front()->tempDir(); }

 private:
  std::vector<std::unique_ptr<blob::BlobStore>> stores_;
};

}  // namespace cst::preservation
