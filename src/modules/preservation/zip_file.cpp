#include "zip_file.hpp"

#include <zip.h>

namespace cst::preservation {

namespace {
std::string zipError(zip_error_t* e) {
  std::string text = zip_error_strerror(e);
  zip_error_fini(e);
  return text;
}
}  // namespace

namespace {
// Adds a stored entry of `source` (taken over, also on failure) named `name`.
Status addStored(zip_t* archive, const std::string& name, zip_source_t* source) {
  const zip_int64_t index =
      source ? zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) : -1;
  if (index < 0) {
    if (source) zip_source_free(source);
    return fail(ErrorCode::kInternal, "zip: " + name + ": " + zip_strerror(archive));
  }
  zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  return {};
}
}  // namespace

Result<std::string> writeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) return fail(ErrorCode::kInternal, "zip: " + zipError(&error));
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(buffer);
    return fail(ErrorCode::kInternal, "zip: " + zipError(&error));
  }
  zip_source_keep(buffer);  // read back after zip_close
  for (const auto& [name, bytes] : entries)
    if (auto s =
            addStored(archive, name, zip_source_buffer(archive, bytes.data(), bytes.size(), 0));
        !s) {
      zip_discard(archive);
      zip_source_free(buffer);
      return tl::unexpected(s.error());
    }
  if (zip_close(archive) != 0) {
    const std::string why = zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(buffer);
    return fail(ErrorCode::kInternal, "zip: " + why);
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_open(buffer) == 0 && zip_source_stat(buffer, &st) == 0) {
    out.resize(static_cast<std::size_t>(st.size));
    const zip_int64_t n = zip_source_read(buffer, out.data(), st.size);
    zip_source_close(buffer);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) out.clear();
  }
  zip_source_free(buffer);
  if (out.empty()) return fail(ErrorCode::kInternal, "zip: cannot read the archive back");
  return out;
}

Status writeZipFile(const std::filesystem::path& out, const std::vector<ZipEntry>& entries) {
  int code = 0;
  zip_t* archive = zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!archive) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    return fail(ErrorCode::kUnavailable, "zip: " + out.string() + ": " + zipError(&error));
  }
  for (const ZipEntry& e : entries) {
    zip_source_t* source = e.file.empty()
                               ? zip_source_buffer(archive, e.bytes.data(), e.bytes.size(), 0)
                               : zip_source_file(archive, e.file.c_str(), 0, -1);
    if (auto s = addStored(archive, e.name, source); !s) {
      zip_discard(archive);
      return s;
    }
  }
  // The files are read and the archive written here.
  if (zip_close(archive) != 0) {
    const std::string why = zip_strerror(archive);
    zip_discard(archive);
    std::error_code ec;
    std::filesystem::remove(out, ec);
    return fail(ErrorCode::kUnavailable, "zip: " + why);
  }
  return {};
}

Result<std::map<std::string, std::string>> readZip(const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) return fail(ErrorCode::kInternal, "zip: " + zipError(&error));
  zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!archive) {
    zip_source_free(source);
    return tl::unexpected(
        Error::badInput("dip", "non è un archivio zip leggibile: " + zipError(&error)));
  }
  std::map<std::string, std::string> entries;
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
    std::string data(static_cast<std::size_t>(st.size), '\0');
    zip_file_t* f = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    const zip_int64_t n = f ? zip_fread(f, data.data(), st.size) : -1;
    if (f) zip_fclose(f);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) {
      zip_discard(archive);
      return tl::unexpected(
          Error::badInput("dip", std::string("voce illeggibile nell'archivio: ") + st.name));
    }
    entries[st.name] = std::move(data);
  }
  zip_discard(archive);  // closes the source too
  return entries;
}

}  // namespace cst::preservation
