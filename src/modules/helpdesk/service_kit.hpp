#pragma once
// What the service's files share (private to the module): field-error collection, the limits of
// texts, and how a timeline event and an audit entry are made for a ticket.
#include <nlohmann/json.hpp>
#include <string>

#include "service.hpp"

namespace cst::helpdesk {

inline constexpr std::size_t kMaxSubject = 200;
inline constexpr std::size_t kMaxText = 20000;

// Collects every field error of a request, so that one answer names them all.
struct Problems {
  explicit Problems(std::string detail = "dati del ticket non validi")
      : error(Error::make(ErrorCode::kBadInput, std::move(detail))) {}
  Error error;
  void add(std::string field, std::string message) {
    error.fields.push_back({std::move(field), std::move(message)});
  }
  bool any() const { return !error.fields.empty(); }
};

inline bool inLevels(int v) { return v >= kMinLevel && v <= kMaxLevel; }

inline std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

inline Event eventOf(const Ticket& t, EventKind kind, bool is_public, const Actor& by,
                     const std::string& at, std::string body = {},
                     nlohmann::json data = nlohmann::json::object()) {
  Event e;
  e.ticket_id = t.id;
  e.at = at;
  e.kind = kind;
  e.is_public = is_public;
  e.actor_id = by.user_id;
  e.actor_name = by.name;
  e.body = std::move(body);
  e.data = data.dump();
  return e;
}

inline audit::Entry auditOf(const Actor& by, const Ticket& t, const std::string& action,
                            nlohmann::json detail) {
  audit::Entry a = by.audit;
  a.ente = t.ente;
  a.action = action;
  a.object_type = "helpdesk_ticket";
  a.object_id = std::to_string(t.id);
  a.detail = std::move(detail);
  return a;
}

inline TimePoint timeOf(const std::string& text) {
  return parseTimestamp(text).value_or(TimePoint{});
}

}  // namespace cst::helpdesk
