#include "http/static_files.hpp"

#include <zlib.h>

#include <fstream>
#include <sstream>

namespace cst::http {

namespace {
std::string contentTypeFor(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes{{".html", "text/html; charset=utf-8"},
                                                         {".js", "text/javascript; charset=utf-8"},
                                                         {".css", "text/css; charset=utf-8"},
                                                         {".json", "application/json"},
                                                         {".svg", "image/svg+xml"},
                                                         {".png", "image/png"},
                                                         {".ico", "image/x-icon"},
                                                         {".woff", "font/woff"},
                                                         {".woff2", "font/woff2"},
                                                         {".ttf", "font/ttf"},
                                                         {".txt", "text/plain; charset=utf-8"},
                                                         {".map", "application/json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string gzipOf(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string{};
}

bool compressible(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type == "application/json" || type == "image/svg+xml";
}
}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root) {
  std::error_code ec;
  if (root.empty() || !std::filesystem::is_directory(root, ec)) return;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    File f;
    f.content_type = contentTypeFor(it->path());
    f.body = ss.str();
    if (compressible(f.content_type) && f.body.size() > 512) {
      f.gzip = gzipOf(f.body);
      if (f.gzip.size() >= f.body.size()) f.gzip.clear();
    }
    const std::string rel = "/" + std::filesystem::relative(it->path(), root).generic_string();
    f.immutable = rel.rfind("/assets/", 0) == 0;
    files_[rel] = std::move(f);
  }
}

Response StaticFiles::serve(const Request& req) const {
  auto it = files_.find(req.path);
  if (it == files_.end()) it = files_.find("/index.html");
  Response r;
  if (it == files_.end()) {
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><html lang=\"it\"><meta charset=\"utf-8\"><title>CST</title>"
        "<p>L'interfaccia web non è stata compilata (web/dist). L'API è disponibile su "
        "/api/v1/.</p>";
    return r;
  }
  const File& f = it->second;
  r.content_type = f.content_type;
  r.header("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.header("X-Content-Type-Options", "nosniff");
  if (f.content_type.rfind("text/html", 0) == 0) {
    r.header("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
             "frame-ancestors 'none'");
    r.header("X-Frame-Options", "DENY");
  }
  const bool gzip_ok = req.header("accept-encoding").value_or("").find("gzip") != std::string::npos;
  if (!f.gzip.empty()) r.header("Vary", "Accept-Encoding");
  if (gzip_ok && !f.gzip.empty()) {
    r.header("Content-Encoding", "gzip");
    r.body = f.gzip;
  } else {
    r.body = f.body;
  }
  return r;
}

}  // namespace cst::http
