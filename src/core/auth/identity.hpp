#pragma once
// Identity: users, grants, login/logout, sessions and API tokens, TOTP, throttling and lockout.
// Tokens are random 256-bit secrets; only their SHA-256 is stored, so a database leak does not
// leak sessions. Every change and every login attempt goes to the audit log.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/audit.hpp"
#include "auth/policy.hpp"
#include "auth/principal.hpp"
#include "common/clock.hpp"
#include "common/rate_limiter.hpp"
#include "db/db.hpp"

namespace cst::auth {

struct IdentityOptions {
  std::chrono::minutes session_ttl{480};
  int lockout_threshold = 5;
  std::chrono::minutes lockout_duration{15};
  bool totp_required_for_staff = true;
  int attempts_per_minute_per_address = 30;
  // Argon2id runs at most this many at once; a login beyond gets 503 at once instead of taking
  // a worker thread that every other request needs.
  int max_concurrent_hashes = 2;
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  // A person's codice fiscale (upper case), unique among accounts: what binds a citizen or a
  // professional to their payment positions and practices. Staff may have none.
  std::optional<std::string> fiscal_code;
  bool disabled = false;
  bool totp_enabled = false;
  std::vector<Grant> grants;
  std::string created_at;
};
nlohmann::json toJson(const User& u);

struct NewUser {
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  std::string password;
  std::vector<Grant> grants;
  std::optional<std::string> fiscal_code;
};
// Validates a user creation body; every problem is named by field.
Result<NewUser> newUserFromJson(const nlohmann::json& body);

struct LoginResult {
  std::string token;
  std::string csrf_token;
  User user;
  bool totp_enrollment_required = false;
};

class Identity {
 public:
  Identity(db::Database& db, const Clock& clock, const Policy& policy, IdentityOptions options);

  // `actor` may create only what its own grants allow (ente_admin: roles on its ente).
  Result<User> createUser(const NewUser& u, const Principal* actor, const audit::Entry& who);
  Result<User> getUser(std::int64_t id, const Principal& viewer);
  // The enabled user with this e-mail address (compared without case), when exactly one has it:
  // for mail received by the platform. No permission check: the caller is the platform itself.
  Result<std::optional<User>> userByEmail(const std::string& email);
  // The user with this id (enabled or not), or nullopt. No permission check: for the platform
  // itself (a module checking that a user it is told about may see an object).
  Result<std::optional<User>> userById(std::int64_t id);
  // Enabled users holding `role` on `ente` itself (not through an all-enti grant), by id: the
  // people a module tells about their ente ("the referents": kEnteAdmin). No permission check.
  Result<std::vector<User>> usersWithRole(const std::string& ente, Role role);
  struct Page {
    std::vector<User> items;
    std::optional<std::int64_t> next_cursor;
  };
  Result<Page> listUsers(const Principal& viewer, const std::optional<std::string>& ente,
                         std::optional<std::int64_t> after, int limit);
  Result<User> updateUser(std::int64_t id, const nlohmann::json& patch, const Principal& actor,
                          const audit::Entry& who);

  Result<LoginResult> login(const std::string& username, const std::string& password,
                            const std::optional<std::string>& totp, const std::string& address,
                            const std::string& request_id);
  // Resolves a session or API token; kUnauthenticated when unknown, expired or revoked.
  Result<Principal> authenticate(const std::string& token);
  Status logout(const std::string& token, const Principal& p, const std::string& request_id);
  // A machine token for `user_id` (agents). Shown once; only its hash is kept.
  Result<std::string> createApiToken(std::int64_t user_id, const std::string& name,
                                     const Principal& actor, const audit::Entry& who);
  // TOTP enrolment: confirm a secret (from newTotpSecret) with a current code.
  Status enableTotp(const Principal& p, const std::string& secret, const std::string& code,
                    const std::string& request_id);
  // Deletes expired sessions; returns how many (a scheduled job).
  Result<std::int64_t> purgeExpiredSessions();
  bool needsTotpEnrollment(const Principal& p) const;

 private:
  Result<User> loadUser(db::Tx& tx, std::int64_t id);
  bool canManage(const Principal& actor, const std::vector<Grant>& grants) const;

  db::Database& db_;
  const Clock& clock_;
  const Policy& policy_;
  IdentityOptions opt_;
  // A slot for one Argon2id computation, or none when all are busy.
  class HashSlot {
   public:
    explicit HashSlot(std::atomic<int>& used, int max);
    ~HashSlot();
    explicit operator bool() const { return held_; }

   private:
    std::atomic<int>& used_;
    bool held_;
  };
  // Sessions authenticated in the last second, by token hash: an authenticated request then
  // costs one query (its own) instead of two. This instance's logouts and user changes drop
  // entries at once; another instance's take effect within kSessionCacheTtl.
  struct CachedSession {
    Principal principal;
    std::optional<TimePoint> expires_at;  // parsed once: a cache hit formats no timestamp
    std::chrono::steady_clock::time_point fresh_until;
  };
  static constexpr std::chrono::seconds kSessionCacheTtl{1};
  void forgetSessions();
  std::mutex sessions_mu_;
  std::unordered_map<std::string, CachedSession> sessions_;

  std::atomic<int> hashes_running_{0};
  RateLimiter logins_;  // per remote address
};

}  // namespace cst::auth
