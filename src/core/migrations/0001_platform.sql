-- Core schema: enti (tenants), identity, audit log, jobs, uploads.
-- Times are RFC 3339 UTC text with milliseconds (fixed width: text order is time order).

CREATE TABLE enti (
  istat TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('provincia', 'comune')),
  parent TEXT REFERENCES enti (istat),
  codice_fiscale TEXT NOT NULL,
  ipa_code TEXT,
  cadastral_code TEXT,
  population BIGINT NOT NULL,
  adhesion_date TEXT,
  services TEXT NOT NULL DEFAULT '[]',
  patron_name TEXT,
  patron_month INTEGER,
  patron_day INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE users (
  id {{id}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT,
  fiscal_code TEXT,
  password_hash TEXT,
  totp_secret TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- A grant is a role on one ente, or on every ente when ente is NULL (CST roles).
CREATE TABLE grants (
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  ente TEXT REFERENCES enti (istat)
);
CREATE UNIQUE INDEX grants_unique ON grants (user_id, role, COALESCE(ente, '*'));
CREATE INDEX grants_ente ON grants (ente);

-- Sessions (browser) and API tokens (machines) are both stored as SHA-256 of the secret.
CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
  name TEXT,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);

-- Append-only, hash-chained. audit_head holds the last link so that removing the newest rows is
-- detected too; it is updated in the same transaction as each append.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_id BIGINT,
  ente TEXT,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  request_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_ente ON audit_log (ente, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE jobs (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  schedule TEXT,
  payload TEXT NOT NULL DEFAULT '{}',
  ente TEXT REFERENCES enti (istat),
  state TEXT NOT NULL,
  next_run_at TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 5,
  last_run_at TEXT,
  last_error TEXT,
  last_duration_ms BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, next_run_at);

CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  ente TEXT NOT NULL REFERENCES enti (istat),
  owner_id BIGINT NOT NULL REFERENCES users (id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX uploads_ente ON uploads (ente, created_at);
