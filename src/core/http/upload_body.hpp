#pragma once
// The Beast body type of upload routes: the request body is written to a temporary file as it
// arrives and hashed on the way, so that nothing downstream (scanner, blob store) reads the file
// again only to learn its SHA-256. Internal to core/http, like every Beast type.
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <memory>

#include "common/crypto.hpp"

namespace cst::http {

struct UploadBody {
  struct value_type {
    boost::beast::file file;
    std::uint64_t size = 0;                                     // bytes written to `file`
    std::unique_ptr<Sha256> hash = std::make_unique<Sha256>();  // of those bytes
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t total = 0;
      for (auto b : boost::beast::buffers_range_ref(buffers)) {
        const char* data = static_cast<const char*>(b.data());
        std::size_t left = b.size();
        while (left > 0) {
          const std::size_t n = body_.file.write(data, left, ec);
          if (ec) return total;
          body_.hash->update({data, n});
          body_.size += n;
          data += n;
          left -= n;
          total += n;
        }
      }
      return total;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace cst::http
