#pragma once
// UTF-8 text from outside (mail headers and bodies, file names) made safe to store and to put in
// JSON: nlohmann::json refuses to serialise invalid UTF-8, so one bad byte would make a whole
// ticket unreadable.
#include <string>
#include <string_view>

namespace cst {

// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD.
std::string validUtf8(std::string_view text);

// At most `max_bytes` of valid UTF-8 `text`, cut at a character boundary.
std::string truncateUtf8(std::string_view text, std::size_t max_bytes);

}  // namespace cst
