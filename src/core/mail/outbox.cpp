#include "mail/outbox.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "common/text.hpp"

namespace cst::mail {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxSubjectBytes = 500;
constexpr std::size_t kMaxBodyBytes = 1024 * 1024;  // notifications, not documents
constexpr std::size_t kMaxErrorBytes = 1000;

bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A refusal of the message itself (or a message that cannot be written) will not change by
// waiting; anything else might.
bool isPermanent(const Error& e) {
  return e.code == ErrorCode::kRuleViolated || e.code == ErrorCode::kBadInput;
}

}  // namespace

Status enqueue(db::Tx& tx, const OutgoingMail& m, TimePoint now) {
  if (auto s = checkAddress(m.recipient, "recipient"); !s) return s;
  if (m.subject.empty()) return failField("subject", "oggetto mancante");
  if (m.subject.size() > kMaxSubjectBytes) return failField("subject", "oggetto troppo lungo");
  if (m.body.size() > kMaxBodyBytes) return failField("body", "testo troppo lungo (max 1 MiB)");
  json headers = json::object();
  bool auto_submitted = false;
  for (const auto& [name, value] : m.headers) {
    for (const auto& [seen, unused] : headers.items())
      if (sameName(seen, name)) return failField("headers." + name, "intestazione ripetuta");
    headers[name] = value;
    auto_submitted = auto_submitted || sameName(name, "Auto-Submitted");
  }
  if (!auto_submitted) headers["Auto-Submitted"] = "auto-generated";

  // What enters the queue can be written: a trial composition checks subject, body, headers and
  // Message-ID with the very rules delivery applies, so no message fails later for its form.
  MessageDraft trial{{"", "outbox@cst.invalid"},
                     m.recipient,
                     m.subject,
                     m.body,
                     {},
                     now,
                     m.message_id.empty() ? "trial@cst.invalid" : m.message_id};
  for (const auto& [name, value] : headers.items())
    trial.headers.emplace_back(name, value.get<std::string>());
  if (auto composed = compose(trial); !composed) return tl::unexpected(composed.error());

  auto r = tx.exec(
      "INSERT INTO mail_outbox (ente, recipient, subject, body, headers, message_id, created_at, "
      "state, attempts, next_attempt_at) VALUES (?,?,?,?,?,?,?,'queued',0,?)",
      {db::optionalText(m.ente), m.recipient, m.subject, m.body, headers.dump(),
       m.message_id.empty() ? db::null() : db::Value{m.message_id}, formatTimestamp(now),
       formatTimestamp(now)});
  if (!r) return tl::unexpected(r.error());
  return {};
}

struct Outbox::Claimed {
  std::int64_t id = 0;
  std::string recipient, subject, body, headers, created_at;
  std::optional<std::string> message_id;
  std::int64_t attempts = 0;
};

Outbox::Outbox(db::Database& db, const Clock& clock, OutboxOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {}

std::chrono::milliseconds Outbox::backoff(std::int64_t attempts) const {
  const std::int64_t doublings = std::clamp<std::int64_t>(attempts - 1, 0, 20);
  return std::min<std::chrono::milliseconds>(options_.first_retry * (std::int64_t(1) << doublings),
                                             options_.max_retry);
}

Result<std::optional<Outbox::Claimed>> Outbox::claimNext(TimePoint now) {
  const std::string at = formatTimestamp(now);
  auto due = db_.query(
      "SELECT id, next_attempt_at FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= ? "
      "ORDER BY next_attempt_at, id LIMIT 10",
      {at});
  if (!due) return tl::unexpected(due.error());
  for (const db::Row& candidate : *due) {
    // Moving next_attempt_at past the claim period is the lease: exactly one instance changes
    // the row, and a crashed one's message becomes due again when the period ends.
    auto claimed = db_.transact<std::optional<Claimed>>(
        db::TxMode::kWrite, [&](db::Tx& tx) -> Result<std::optional<Claimed>> {
          auto n = tx.exec(
              "UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ? AND state = 'queued' AND "
              "next_attempt_at = ?",
              {formatTimestamp(now + options_.claim), candidate.integer(0), candidate.text(1)});
          if (!n) return tl::unexpected(n.error());
          if (*n != 1) return std::optional<Claimed>();
          auto row = tx.one(
              "SELECT id, recipient, subject, body, headers, message_id, created_at, attempts "
              "FROM mail_outbox WHERE id = ?",
              {candidate.integer(0)});
          if (!row) return tl::unexpected(row.error());
          return std::optional<Claimed>(Claimed{row->integer(0), row->text(1), row->text(2),
                                                row->text(3), row->text(4), row->text(6),
                                                row->optText(5), row->integer(7)});
        });
    if (!claimed) return tl::unexpected(claimed.error());
    if (*claimed) return claimed;
  }
  return std::optional<Claimed>();
}

Status Outbox::record(const Claimed& m, const Status& outcome, TimePoint now) {
  return db_.transactStatus(db::TxMode::kWrite, [&](db::Tx& tx) -> Status {
    Result<std::int64_t> r = 0;
    if (outcome) {
      r = tx.exec(
          "UPDATE mail_outbox SET state = 'sent', attempts = ?, sent_at = ?, next_attempt_at = "
          "NULL, last_error = NULL WHERE id = ?",
          {m.attempts + 1, formatTimestamp(now), m.id});
    } else {
      const std::int64_t attempts = m.attempts + 1;
      const bool give_up = isPermanent(outcome.error()) || attempts >= options_.max_attempts;
      r = tx.exec(
          "UPDATE mail_outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? "
          "WHERE id = ?",
          {give_up ? "failed" : "queued", attempts,
           give_up ? db::null() : db::Value{formatTimestamp(now + backoff(attempts))},
           truncateUtf8(outcome.error().detail, kMaxErrorBytes), m.id});
    }
    if (!r) return tl::unexpected(r.error());
    return {};
  });
}

Result<DeliveryRun> Outbox::deliverDue() {
  DeliveryRun run;
  if (!enabled()) {
    if (!warned_disabled_.exchange(true))
      spdlog::warn("mail.smtp_url is not set: outgoing e-mail stays queued until it is");
    return run;
  }
  for (int i = 0; i < options_.batch; ++i) {
    auto next = claimNext(clock_.now());
    if (!next) return tl::unexpected(next.error());
    if (!*next) break;
    const Claimed& m = **next;

    MessageDraft draft{options_.from, m.recipient, m.subject, m.body, {}, {}, {}};
    draft.date = parseTimestamp(m.created_at).value_or(clock_.now());
    // Derived from the row, so every attempt carries the same Message-ID.
    std::string stamp = m.created_at;
    stamp.erase(std::remove_if(stamp.begin(), stamp.end(),
                               [](char c) { return !std::isdigit(static_cast<unsigned char>(c)); }),
                stamp.end());
    draft.message_id =
        m.message_id.value_or("cst." + std::to_string(m.id) + "." + stamp + "@" +
                              options_.from.address.substr(options_.from.address.find('@') + 1));
    const json headers = json::parse(m.headers, nullptr, false);
    if (headers.is_object())
      for (const auto& [name, value] : headers.items())
        if (value.is_string()) draft.headers.emplace_back(name, value.get<std::string>());

    auto wire = compose(draft);
    const Status outcome = wire ? submit(options_.relay, options_.from.address, m.recipient, *wire)
                                : Status(tl::unexpected(wire.error()));
    if (auto s = record(m, outcome, clock_.now()); !s) return tl::unexpected(s.error());
    if (outcome) {
      ++run.sent;
      ++sent_;
      spdlog::info("mail {} handed to the relay", m.id);
      continue;
    }
    const bool permanent = isPermanent(outcome.error()) || m.attempts + 1 >= options_.max_attempts;
    spdlog::warn("mail {} {}: {}", m.id, permanent ? "given up" : "to be retried",
                 outcome.error().detail);
    if (permanent) {
      ++run.failed;
    } else {
      ++run.retrying;
    }
    if (!isPermanent(outcome.error())) {
      run.stopped_by = outcome.error().detail;
      break;
    }
  }
  return run;
}

Result<QueueCounts> Outbox::counts() {
  auto row = db_.query(
      "SELECT COUNT(CASE WHEN state = 'queued' THEN 1 END), "
      "COUNT(CASE WHEN state = 'failed' THEN 1 END) FROM mail_outbox "
      "WHERE state IN ('queued', 'failed')");
  if (!row) return tl::unexpected(row.error());
  if (row->empty()) return QueueCounts{};
  return QueueCounts{row->front().integer(0), row->front().integer(1)};
}

}  // namespace cst::mail
