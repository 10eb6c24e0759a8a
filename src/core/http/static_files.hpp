#pragma once
// The built web UI (web/dist), loaded into memory at start with a gzip copy of each compressible
// file, served with caching headers: hashed assets are immutable, index.html is revalidated.
// Unknown paths get index.html, so the single-page app's own routes work on reload.
#include <filesystem>
#include <map>
#include <string>

#include "http/message.hpp"

namespace cst::http {

class StaticFiles {
 public:
  // An empty or missing root serves a short page saying the UI is not built.
  explicit StaticFiles(const std::filesystem::path& root);
  Response serve(const Request& req) const;
  std::size_t fileCount() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzip;  // empty when not worth compressing
    bool immutable = false;
  };
  std::map<std::string, File> files_;  // key: URL path ("/assets/app-1a2b.js")
};

}  // namespace cst::http
