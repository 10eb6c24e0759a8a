#pragma once
// The published interfaces modules give each other (include/<module>/api.hpp), looked up by
// type. A module provides its interface in Module::install; a consumer looks it up when it needs
// it (not at install time: modules install in the order of src/app), and copes with its absence:
// a deployment may leave a module out. Thread-safe after install.
#include <map>
#include <memory>
#include <typeindex>

namespace cst {

class Interfaces {
 public:
  template <class T>
  void provide(std::shared_ptr<T> impl) {
    entries_[std::type_index(typeid(T))] = std::move(impl);
  }
  // The implementation, or null when no installed module provides T.
  template <class T>
  std::shared_ptr<T> find() const {
    auto it = entries_.find(std::type_index(typeid(T)));
    return it == entries_.end() ? nullptr : std::static_pointer_cast<T>(it->second);
  }

 private:
  std::map<std::type_index, std::shared_ptr<void>> entries_;
};

}  // namespace cst
