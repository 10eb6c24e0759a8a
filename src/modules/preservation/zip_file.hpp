#pragma once
// Zip archives through libzip, for the DIP: written to a file from byte strings and files (or in
// memory), read back whole (the verifier checks every entry). Entries are stored, not deflated: the
// documents are mostly compressed formats already, and a stored entry can be checked with any zip
// tool.
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace cst::preservation {

// The archive of `entries` (name, bytes), in this order.
Result<std::string> writeZip(const std::vector<std::pair<std::string, std::string>>& entries);

// An entry of an archive written to disk: its bytes, or the file they are read from.
struct ZipEntry {
  std::string name;
  std::string bytes;
  std::filesystem::path file;  // when set, `bytes` is ignored and the file is copied in
};
// Writes the archive of `entries`, in this order, to `out` (files are streamed, never held in
// memory). kUnavailable when it cannot be written (disk full).
Status writeZipFile(const std::filesystem::path& out, const std::vector<ZipEntry>& entries);

// Every entry of the zip in `bytes`, by name; kBadInput when it is not a readable zip.
Result<std::map<std::string, std::string>> readZip(const std::string& bytes);

}  // namespace cst::preservation
