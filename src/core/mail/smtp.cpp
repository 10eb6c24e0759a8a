#include "mail/smtp.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <mutex>

#include "common/text.hpp"
#include "http/client.hpp"
#include "mail/gmime_ref.hpp"

namespace cst::mail {

namespace {

bool isAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 §3.2.3 atext: what a dot-atom local part may hold besides dots.
bool isAtext(char c) {
  return isAsciiAlnum(c) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string::npos;
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool hasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// Header values we write verbatim: printable ASCII and tabs, so no CR/LF can start a new field.
bool isPrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == '\t' || (c >= 0x20 && c < 0x7f); });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Status checkAddress(std::string_view address, const std::string& field) {
  if (address.empty()) return failField(field, "indirizzo e-mail mancante");
  // RFC 5321 §4.5.3.1: 64 octets of local part, 254 of path without the angle brackets.
  if (address.size() > 254) return failField(field, "indirizzo e-mail troppo lungo");
  const auto at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
    return failField(field, "indirizzo e-mail non valido: serve un solo '@'");
  const std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  const bool local_ok =
      !local.empty() && local.size() <= 64 && local.front() != '.' && local.back() != '.' &&
      local.find("..") == std::string_view::npos &&
      std::all_of(local.begin(), local.end(), [](char c) { return c == '.' || isAtext(c); });
  if (!local_ok) return failField(field, "indirizzo e-mail non valido prima di '@'");
  int labels = 0;
  for (std::size_t start = 0; start <= domain.size(); ++labels) {
    auto end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    const bool label_ok =
        !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-' &&
        std::all_of(label.begin(), label.end(), [](char c) { return c == '-' || isAsciiAlnum(c); });
    if (!label_ok) return failField(field, "dominio dell'indirizzo e-mail non valido");
    start = end + 1;
  }
  if (labels < 2) return failField(field, "dominio dell'indirizzo e-mail non valido");
  return {};
}

Result<Mailbox> parseMailbox(std::string_view text, const std::string& field) {
  Mailbox m;
  text = trim(text);
  const auto open = text.find('<');
  if (open == std::string_view::npos) {
    m.address = std::string(text);
  } else {
    const auto close = text.find('>', open);
    if (close == std::string_view::npos || !trim(text.substr(close + 1)).empty())
      return failField(field, "atteso \"Nome <indirizzo@dominio>\"");
    m.address = std::string(trim(text.substr(open + 1, close - open - 1)));
    std::string_view name = trim(text.substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    if (hasControl(name) || validUtf8(name) != name)
      return failField(field, "nome del mittente non valido");
    m.name = std::string(name);
  }
  if (auto s = checkAddress(m.address, field); !s) return tl::unexpected(s.error());
  return m;
}

bool isExtraHeaderAllowed(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  if (!std::all_of(name.begin(), name.end(), [](char c) { return c == '-' || isAsciiAlnum(c); }))
    return false;
  const std::string n = lower(name);
  // Fields composed from the draft, and the ones a relay adds: a duplicate would be ambiguous.
  static const std::array<std::string_view, 12> kComposed = {
      "from",       "to",     "cc",       "bcc",         "subject",      "date",
      "message-id", "sender", "received", "return-path", "mime-version", "reply-to"};
  if (std::find(kComposed.begin(), kComposed.end(), n) != kComposed.end()) return false;
  return n.rfind("content-", 0) != 0;
}

Result<std::string> compose(const MessageDraft& d) {
  if (auto s = checkAddress(d.from.address, "from"); !s) return tl::unexpected(s.error());
  if (auto s = checkAddress(d.to, "to"); !s) return tl::unexpected(s.error());
  if (hasControl(d.subject) || validUtf8(d.subject) != d.subject)
    return failField("subject", "l'oggetto deve essere testo UTF-8 su una riga");
  if (validUtf8(d.body) != d.body) return failField("body", "il testo deve essere UTF-8 valido");
  if (d.message_id.empty() || d.message_id.find('@') == std::string::npos ||
      d.message_id.find_first_of("<> \t") != std::string::npos || !isPrintableAscii(d.message_id))
    return failField("message_id", "atteso \"parte-sinistra@dominio\"");
  for (const auto& [name, value] : d.headers) {
    if (!isExtraHeaderAllowed(name))
      return failField("headers." + name, "intestazione non ammessa in un messaggio in uscita");
    if (!isPrintableAscii(value) || value.size() > 900)
      return failField("headers." + name, "il valore deve essere ASCII stampabile su una riga");
  }

  initOnce();
  Ref<GMimeMessage> msg(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_FROM,
                             d.from.name.empty() ? nullptr : d.from.name.c_str(),
                             d.from.address.c_str());
  g_mime_message_add_mailbox(msg.p, GMIME_ADDRESS_TYPE_TO, nullptr, d.to.c_str());
  g_mime_message_set_subject(msg.p, d.subject.c_str(), "utf-8");
  GDateTime* date = g_date_time_new_from_unix_utc(
      std::chrono::duration_cast<std::chrono::seconds>(d.date.time_since_epoch()).count());
  if (!date) return failField("date", "data fuori dall'intervallo ammesso");
  g_mime_message_set_date(msg.p, date);
  g_date_time_unref(date);
  g_mime_message_set_message_id(msg.p, d.message_id.c_str());
  for (const auto& [name, value] : d.headers)
    g_mime_object_append_header(GMIME_OBJECT(msg.p), name.c_str(), value.c_str(), nullptr);

  // One line-end convention in, so that the CRLF conversion below never doubles a CR.
  std::string body;
  body.reserve(d.body.size());
  for (std::size_t i = 0; i < d.body.size(); ++i)
    if (!(d.body[i] == '\r' && i + 1 < d.body.size() && d.body[i + 1] == '\n')) body += d.body[i];
  // The UTF-8 bytes as they are: g_mime_text_part_set_text would recode a text that fits in
  // Latin-1 to ISO-8859-1, which a later "charset=utf-8" would then mislabel.
  Ref<GMimeTextPart> part(g_mime_text_part_new_with_subtype("plain"));
  {
    Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(body.data(), body.size()));
    Ref<GMimeDataWrapper> content(
        g_mime_data_wrapper_new_with_stream(stream.p, GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(GMIME_PART(part.p), content.p);
  }
  g_mime_text_part_set_charset(part.p, "utf-8");
  // 7-bit clean: quoted-printable for accented Italian (still readable in the raw source), and
  // long lines folded, which a plain 8bit body could not survive (RFC 5321 §4.5.3.1.6: 998).
  g_mime_part_set_content_encoding(
      GMIME_PART(part.p),
      g_mime_part_get_best_content_encoding(GMIME_PART(part.p), GMIME_ENCODING_CONSTRAINT_7BIT));
  g_mime_message_set_mime_part(msg.p, GMIME_OBJECT(part.p));

  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  GString_ wire(g_mime_object_to_string(GMIME_OBJECT(msg.p), options));
  g_mime_format_options_free(options);
  if (!wire.s) return fail(ErrorCode::kInternal, "GMime could not write the message");
  return wire.str();
}

std::string describeRelay(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto host = scheme + 3;
  const auto at = url.find('@', host);
  const auto path = url.find('/', host);
  if (at == std::string::npos || (path != std::string::npos && at > path)) return url;
  return url.substr(0, host) + url.substr(at + 1);
}

namespace {

struct Upload {
  const std::string* data;
  std::size_t at = 0;
};

std::size_t readMessage(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, up->data->size() - up->at);
  std::copy_n(up->data->data() + up->at, n, buffer);
  up->at += n;
  return n;
}

// What was said last on the SMTP connection: tells a refusal of the message (after MAIL FROM,
// RCPT TO or DATA) from a refusal of the session (greeting, EHLO, AUTH). Only command verbs are
// kept: the AUTH line carries the credentials.
struct Dialogue {
  std::string last_command;
  std::string last_reply;
  bool quitting = false;
};

int watchDialogue(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* d = static_cast<Dialogue*>(user);
  if (d->quitting) return 0;  // QUIT's "221 Bye" is not the answer we need
  const std::string_view line(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    std::string verb = lower(line.substr(0, line.find_first_of(" :\r\n")));
    // Only command verbs; a logged end-of-data line (".") is still the DATA stage.
    if (verb.empty() || !std::all_of(verb.begin(), verb.end(), isAsciiAlnum)) return 0;
    if (verb == "quit")
      d->quitting = true;
    else
      d->last_command = std::move(verb);
  } else if (type == CURLINFO_HEADER_IN) {
    const std::string_view reply = line.substr(0, line.find_first_of("\r\n"));
    d->last_reply = validUtf8(reply.substr(0, 200));
  }
  return 0;
}

struct CurlHandle {
  CURL* h = curl_easy_init();
  curl_slist* recipients = nullptr;
  ~CurlHandle() {
    curl_slist_free_all(recipients);
    if (h) curl_easy_cleanup(h);
  }
};

}  // namespace

Status submit(const RelayOptions& relay, const std::string& envelope_from,
              const std::string& recipient, const std::string& message) {
  http::initCurl();
  CurlHandle curl;
  if (!curl.h) return fail(ErrorCode::kInternal, "curl_easy_init failed");
  const bool implicit_tls = relay.url.rfind("smtps://", 0) == 0;
  const std::string from = "<" + envelope_from + ">";
  curl.recipients = curl_slist_append(nullptr, ("<" + recipient + ">").c_str());
  Upload upload{&message};
  Dialogue dialogue;
  char error[CURL_ERROR_SIZE] = "";
  const long timeout = static_cast<long>(relay.timeout.count());

  CURL* h = curl.h;
  curl_easy_setopt(h, CURLOPT_URL, relay.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (!relay.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, relay.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, relay.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   implicit_tls || !relay.username.empty() ? static_cast<long>(CURLUSESSL_ALL)
                                                           : static_cast<long>(CURLUSESSL_NONE));
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, curl.recipients);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, readMessage);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // several threads; no SIGALRM for DNS timeouts
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  // The debug callback runs only with VERBOSE on; it keeps verbs and replies, and prints nothing.
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, watchDialogue);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &dialogue);

  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return {};
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  std::string detail = describeRelay(relay.url) + ": " + curl_easy_strerror(rc);
  if (*error) detail += std::string(" (") + error + ")";
  if (!dialogue.last_reply.empty()) detail += "; risposta: " + dialogue.last_reply;
  const std::string& stage = dialogue.last_command;
  // 530 is "authenticate first": our configuration, not the message.
  const bool refused = code >= 500 && code < 600 && code != 530 &&
                       (stage == "mail" || stage == "rcpt" || stage == "data");
  return fail(refused ? ErrorCode::kRuleViolated : ErrorCode::kUnavailable, detail);
}

}  // namespace cst::mail
