#pragma once
// Content-addressed blob store on the filesystem: an object's name is the SHA-256 of its bytes
// (objects/ab/cd/abcd…). Writes are streamed and atomic: temp file, fsync, rename, directory
// fsync; an object that exists is never rewritten. Thread-safe; every call blocks (worker pool).
#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>

#include "common/result.hpp"

namespace cst::blob {

struct BlobRef {
  std::string sha256;
  std::uint64_t size = 0;
};

class BlobStore {
 public:
  BlobStore(std::filesystem::path root, std::uint64_t max_bytes);
  // Moves `file` (on the same filesystem, e.g. an upload temp file) into the store.
  // `sha256`: the file's hash when the caller already has it (taken as the file was written),
  // saving a read of the whole file; empty: hashed here.
  Result<BlobRef> adoptFile(const std::filesystem::path& file, std::string_view sha256 = {});
  // Copies a stream into the store; kTooLarge (and nothing kept) past max_bytes.
  Result<BlobRef> put(std::istream& in);
  // Creates, durably, the directory an object of this hash will go in, so that a later commit is
  // left with its rename and one directory fsync (uploads do it while clamd scans the file).
  void prepare(const std::string& sha256) const;
  // Puts `file` (on the same filesystem) in place of the object `sha256`, which may exist with
  // damaged content: the file is hashed first (kRuleViolated when it is not `sha256`), then
  // synced and renamed over the object. The one write that replaces an object: fixity repair.
  Result<BlobRef> replace(const std::filesystem::path& file, const std::string& sha256);
  // Deletes the object (durably); absent is not an error. Only scarto destroys content.
  Status remove(const std::string& sha256);
  bool exists(const std::string& sha256) const;
  std::filesystem::path pathOf(const std::string& sha256) const;
  std::filesystem::path tempDir() const { return root_ / "tmp"; }

 private:
  Result<BlobRef> commit(const std::filesystem::path& temp, const std::string& sha256,
                         std::uint64_t size);
  std::filesystem::path root_;
  std::uint64_t max_bytes_;
};

}  // namespace cst::blob
