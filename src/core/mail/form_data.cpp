#include "mail/form_data.hpp"

#include <fcntl.h>

#include "common/crypto.hpp"
#include "mail/gmime_ref.hpp"

namespace cst::mail {

namespace fs = std::filesystem;

namespace {

// A GMime stream filter would need a GObject subclass; the part is written to its file first and
// hashed from there, the file still in the page cache.
Status writePart(GMimePart* part, FormPart& out) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  const int fd = ::open(out.file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(ErrorCode::kUnavailable, "cannot write " + out.file.string());
  Ref<GMimeStream> target(g_mime_stream_fs_new(fd));  // owns fd
  if (content && g_mime_data_wrapper_write_to_stream(content, target.p) < 0)
    return fail(ErrorCode::kUnavailable, "cannot write " + out.file.string());
  g_mime_stream_flush(target.p);
  auto sha = sha256File(out.file);
  if (!sha) return tl::unexpected(sha.error());
  out.sha256 = *sha;
  std::error_code ec;
  out.size = fs::file_size(out.file, ec);
  return {};
}

struct Cleanup {
  std::vector<FormPart>* parts;
  bool keep = false;
  ~Cleanup() {
    if (keep) return;
    std::error_code ec;
    for (const FormPart& p : *parts) fs::remove(p.file, ec);
  }
};

}  // namespace

Result<std::vector<FormPart>> splitFormData(const fs::path& body_file,
                                            std::string_view content_type, const fs::path& dir) {
  initOnce();
  const auto bad = [](const std::string& why) {
    return tl::unexpected(Error::badInput("body", "corpo multipart/form-data non valido: " + why));
  };
  Ref<GMimeContentType> type(g_mime_content_type_parse(nullptr, std::string(content_type).c_str()));
  if (!type.p || !g_mime_content_type_is_type(type.p, "multipart", "form-data") ||
      !g_mime_content_type_get_parameter(type.p, "boundary"))
    return bad("Content-Type deve essere multipart/form-data con boundary");

  // GMime parses an entity: the Content-Type header, a blank line, then the body from disk.
  const int fd = ::open(body_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::kUnavailable, "cannot read the request body");
  const std::string header = "Content-Type: " + std::string(content_type) + "\r\n\r\n";
  Ref<GMimeStream> cat(g_mime_stream_cat_new());
  {
    Ref<GMimeStream> head(g_mime_stream_mem_new_with_buffer(header.data(), header.size()));
    Ref<GMimeStream> body(g_mime_stream_fs_new(fd));
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat.p), head.p);
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat.p), body.p);
  }
  Ref<GMimeParser> parser(g_mime_parser_new_with_stream(cat.p));
  // Parts stay on the stream (offsets), not copied into memory.
  g_mime_parser_set_persist_stream(parser.p, TRUE);
  Ref<GMimeObject> entity(g_mime_parser_construct_part(parser.p, nullptr));
  if (!entity.p || !GMIME_IS_MULTIPART(entity.p)) return bad("nessuna parte");
  GMimeMultipart* multipart = GMIME_MULTIPART(entity.p);
  const int count = g_mime_multipart_get_count(multipart);
  if (count <= 0) return bad("nessuna parte");

  std::vector<FormPart> parts;
  Cleanup cleanup{&parts};
  for (int i = 0; i < count; ++i) {
    GMimeObject* obj = g_mime_multipart_get_part(multipart, i);
    if (!GMIME_IS_PART(obj)) return bad("parte " + std::to_string(i + 1) + " annidata");
    const char* name = g_mime_object_get_content_disposition_parameter(obj, "name");
    if (!name || !*name) return bad("parte " + std::to_string(i + 1) + " senza name");
    FormPart p;
    p.name = name;
    if (const char* f = g_mime_part_get_filename(GMIME_PART(obj))) p.filename = f;
    GMimeContentType* ct = g_mime_object_get_content_type(obj);
    GString_ mime(ct ? g_mime_content_type_get_mime_type(ct) : nullptr);
    p.content_type = mime.str().empty() ? "text/plain" : mime.str();
    p.file = dir / ("part-" + randomToken(12));
    parts.push_back(p);
    if (auto s = writePart(GMIME_PART(obj), parts.back()); !s) return tl::unexpected(s.error());
  }
  cleanup.keep = true;
  return parts;
}

}  // namespace cst::mail
