#include "mail/mime.hpp"

#include <cctype>
#include <fstream>

#include "common/crypto.hpp"
#include "common/text.hpp"
#include "mail/gmime_ref.hpp"

namespace cst::mail {

namespace {

// The decoded content of a leaf part, converted to UTF-8 when `to_utf8` and it names a charset.
std::string decodedContent(GMimePart* part, bool to_utf8) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  Ref<GMimeStream> mem(g_mime_stream_mem_new());
  GMimeStream* target = mem.p;
  Ref<GMimeStream> filtered(nullptr);
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  if (to_utf8 && charset && g_ascii_strcasecmp(charset, "utf-8") != 0) {
    filtered.p = g_mime_stream_filter_new(mem.p);
    Ref<GMimeFilter> conv(g_mime_filter_charset_new(charset, "UTF-8"));
    if (conv.p) g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.p), conv.p);
    target = filtered.p;
  }
  g_mime_data_wrapper_write_to_stream(content, target);
  g_mime_stream_flush(target);
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.p));
  return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len) : "";
}

// Markup out, entities of the common kind decoded, whitespace collapsed: enough to read an HTML
// mail in a ticket.
std::string htmlToText(const std::string& html) {
  std::string out;
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (c == '<') {
      in_tag = true;
      // Block elements end a line.
      if (html.compare(i, 3, "<br") == 0 || html.compare(i, 3, "<p>") == 0 ||
          html.compare(i, 4, "</p>") == 0 || html.compare(i, 5, "</div") == 0)
        out += '\n';
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  for (auto [entity, text] :
       {std::pair{"&nbsp;", " "}, std::pair{"&amp;", "&"}, std::pair{"&lt;", "<"},
        std::pair{"&gt;", ">"}, std::pair{"&quot;", "\""}, std::pair{"&#39;", "'"}}) {
    const std::string e = entity;
    for (auto at = out.find(e); at != std::string::npos; at = out.find(e, at + 1))
      out.replace(at, e.size(), text);
  }
  return out;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

struct Walk {
  const std::filesystem::path* temp_dir;
  Message* message;
  std::string html;
  bool failed = false;
  std::string failure;
};

void visit(GMimeObject* /*parent*/, GMimeObject* object, gpointer data) {
  auto* w = static_cast<Walk*>(data);
  if (w->failed || !GMIME_IS_PART(object)) return;  // multiparts are walked into by GMime
  GMimePart* part = GMIME_PART(object);
  GMimeContentType* type = g_mime_object_get_content_type(object);
  GString_ mime(g_mime_content_type_get_mime_type(type));
  const char* filename = g_mime_part_get_filename(part);
  const bool attachment = g_mime_part_is_attachment(part) || filename;
  if (!attachment && g_mime_content_type_is_type(type, "text", "plain") &&
      w->message->text.empty()) {
    w->message->text = decodedContent(part, true);
    return;
  }
  if (!attachment && g_mime_content_type_is_type(type, "text", "html") && w->html.empty()) {
    w->html = decodedContent(part, true);
    return;
  }
  if (!attachment && g_mime_content_type_is_type(type, "text", "*")) return;
  Attachment a;
  // A sender's file name is data, never a path: separators and control characters go.
  for (const char* c = filename ? filename : ""; *c; ++c) {
    const auto u = static_cast<unsigned char>(*c);
    a.filename += (u < 0x20 || u == 0x7f || *c == '/' || *c == '\\') ? '_' : *c;
  }
  if (a.filename.empty() || a.filename == "." || a.filename == "..")
    a.filename = "allegato-" + std::to_string(w->message->attachments.size() + 1);
  a.content_type = mime.str().empty() ? "application/octet-stream" : mime.str();
  a.file = *w->temp_dir / ("mail-" + randomToken(8));
  const std::string content = decodedContent(part, false);
  std::ofstream f(a.file, std::ios::binary);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  f.close();
  if (!f) {
    w->failed = true;
    w->failure = "cannot write " + a.file.string();
    std::error_code ec;
    std::filesystem::remove(a.file, ec);
    return;
  }
  a.size = content.size();
  w->message->attachments.push_back(std::move(a));
}

}  // namespace

void discardAttachments(const Message& m) {
  std::error_code ec;
  for (const Attachment& a : m.attachments) std::filesystem::remove(a.file, ec);
}

Result<Message> parse(const std::string& raw, const std::filesystem::path& temp_dir) {
  initOnce();
  // A message starts with a header field ("Name: value"); anything else is not mail.
  const auto colon = raw.find(':');
  const auto eol = raw.find('\n');
  if (raw.empty() || colon == std::string::npos || (eol != std::string::npos && eol < colon) ||
      raw.find_first_of(" \t") < colon)
    return failField("message", "non è un messaggio e-mail (RFC 5322): manca l'intestazione");
  Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.p));
  Ref<GMimeMessage> msg(g_mime_parser_construct_message(parser.p, nullptr));
  if (!msg.p) return failField("message", "messaggio e-mail illeggibile");

  Message m;
  InternetAddressList* from = g_mime_message_get_from(msg.p);
  InternetAddress* sender = from && internet_address_list_length(from) > 0
                                ? internet_address_list_get_address(from, 0)
                                : nullptr;
  if (!sender || !INTERNET_ADDRESS_IS_MAILBOX(sender))
    return failField("From", "manca l'indirizzo del mittente");
  const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(sender));
  const char* name = internet_address_get_name(sender);
  m.from_address = addr ? addr : "";
  m.from_name = name ? name : "";
  if (m.from_address.find('@') == std::string::npos)
    return failField("From", "indirizzo del mittente non valido: " + m.from_address);
  const char* subject = g_mime_message_get_subject(msg.p);
  m.subject = trimmed(subject ? subject : "");
  const char* id = g_mime_message_get_message_id(msg.p);
  m.message_id = id ? id : "";

  std::error_code ec;
  std::filesystem::create_directories(temp_dir, ec);
  Walk walk{&temp_dir, &m, {}};
  g_mime_message_foreach(msg.p, visit, &walk);
  if (walk.failed) {
    discardAttachments(m);
    return fail(ErrorCode::kUnavailable, walk.failure);
  }
  if (trimmed(m.text).empty() && !walk.html.empty()) m.text = htmlToText(walk.html);
  m.text = trimmed(m.text);
  // An undeclared or unknown charset leaves raw bytes behind: keep the text, never invalid UTF-8.
  for (std::string* field : {&m.from_name, &m.subject, &m.text, &m.message_id})
    *field = validUtf8(*field);
  for (Attachment& a : m.attachments) a.filename = validUtf8(a.filename);
  return m;
}

}  // namespace cst::mail
