#pragma once
// multipart/form-data request bodies (RFC 7578), as browsers and `curl -F` send them: a request
// with several files and fields at once (the preservation SIP: documents + metadata). The body is
// already on disk (an upload route streams it there); each part is written to a file of its own,
// hashed as it is written, never held whole in memory. Parsed with GMime, which reads MIME for the
// mail intake already.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cst::mail {

struct FormPart {
  std::string name;            // the form field's name (Content-Disposition name=)
  std::string filename;        // the file's name as sent, empty for a plain field
  std::string content_type;    // as sent; "text/plain" when absent
  std::filesystem::path file;  // the part's bytes
  std::string sha256;          // of those bytes, hex
  std::uint64_t size = 0;
};

// Splits `body_file` (Content-Type `content_type`, which must be multipart/form-data with a
// boundary) into its parts, each written into `dir`. kBadInput (field "body") when the body is not
// such a multipart; the files of the parts already written are removed then.
Result<std::vector<FormPart>> splitFormData(const std::filesystem::path& body_file,
                                            std::string_view content_type,
                                            const std::filesystem::path& dir);

}  // namespace cst::mail
