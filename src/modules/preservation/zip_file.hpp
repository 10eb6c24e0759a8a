#pragma once
// Zip archives through libzip, for the DIP: written in memory from named byte strings, read back
// whole (the verifier checks every entry). Entries are stored, not deflated: the documents are
// mostly compressed formats already, and a stored entry can be checked with any zip tool.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace cst::preservation {

// The archive of `entries` (name, bytes), in this order.
Result<std::string> writeZip(const std::vector<std::pair<std::string, std::string>>& entries);

// Every entry of the zip in `bytes`, by name; kBadInput when it is not a readable zip.
Result<std::map<std::string, std::string>> readZip(const std::string& bytes);

}  // namespace cst::preservation
