#pragma once
// Reading e-mail: one RFC 5322 message with its MIME parts, parsed with GMime (the library
// Evolution and Balsa read mail with), reduced to what the platform acts on: sender, subject,
// the text, and the attachments written to files.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cst::mail {

struct Attachment {
  std::string filename;  // as sent (decoded RFC 2231/2047), or "allegato-N" when it had none
  std::string content_type;
  std::filesystem::path file;  // the decoded content; the caller owns (and removes) it
  std::uint64_t size = 0;
};

struct Message {
  std::string from_name;
  std::string from_address;
  std::string subject;  // decoded (RFC 2047) UTF-8
  std::string message_id;
  std::string text;  // the text/plain body in UTF-8, or text/html with the markup removed
  std::vector<Attachment> attachments;
};

// Parses `raw`, writing attachments under `temp_dir`. Errors (kBadInput, naming "message" or
// the header at fault): not a MIME message, no sender address. On error no file is left behind.
Result<Message> parse(const std::string& raw, const std::filesystem::path& temp_dir);

// Removes the attachment files of a message (after they were stored, or when it is refused).
void discardAttachments(const Message& m);

}  // namespace cst::mail
