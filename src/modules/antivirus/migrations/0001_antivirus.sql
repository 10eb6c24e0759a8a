-- The antivirus service: quarantined uploads, scan requests of the Comuni, the console's
-- thresholds, its events, and the endpoints that report their own antivirus state.

-- One row per infected upload; the content is in the quarantine store (<data>/quarantine) under
-- sha256 while status is 'held'. A decision (released/discarded) is final.
CREATE TABLE antivirus_quarantine (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  owner_id BIGINT REFERENCES users (id),
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  signature TEXT NOT NULL,
  detected_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('held', 'released', 'discarded')),
  decided_by TEXT,
  decided_at TEXT,
  reason TEXT,
  released_upload_id TEXT,
  ticket_id BIGINT
);
CREATE INDEX antivirus_quarantine_ente ON antivirus_quarantine (ente, detected_at);
CREATE INDEX antivirus_quarantine_sha ON antivirus_quarantine (sha256, status);

-- Scanning as a service: what was asked and the verdict (the file itself is not kept).
CREATE TABLE antivirus_scans (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  actor TEXT NOT NULL,
  filename TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('clean', 'infected', 'error')),
  signature TEXT,
  reason TEXT,
  scanned_at TEXT NOT NULL,
  duration_ms BIGINT NOT NULL
);
CREATE INDEX antivirus_scans_ente ON antivirus_scans (ente, id);

-- One row: the thresholds of the console and of the engine alarm, in hours; and what the watch
-- job last saw of the centre's engine ('' = fine, 'down', 'stale'), so that each condition is
-- reported once.
CREATE TABLE antivirus_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  outdated_after_hours INTEGER NOT NULL,
  silent_after_hours INTEGER NOT NULL,
  engine_max_age_hours INTEGER NOT NULL,
  engine_alert TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL
);
INSERT INTO antivirus_settings (id, outdated_after_hours, silent_after_hours, engine_max_age_hours,
                                updated_at)
VALUES (1, 72, 48, 24, '2026-01-01T00:00:00.000Z');

CREATE TABLE antivirus_events (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL,
  ticket_id BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX antivirus_events_ente ON antivirus_events (ente, id);

-- An endpoint (PC, server) of a Comune, created by its first report. Timestamps are RFC 3339
-- UTC text, so they compare as strings. alert: the condition a ticket is open for.
CREATE TABLE antivirus_endpoints (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  hostname TEXT NOT NULL,
  os TEXT,
  product TEXT,
  engine_version TEXT,
  signature_version TEXT,
  signature_updated_at TEXT,
  last_full_scan_at TEXT,
  detections BIGINT,
  realtime_protection INTEGER,
  first_seen_at TEXT NOT NULL,
  last_report_at TEXT NOT NULL,
  alert TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX antivirus_endpoints_host ON antivirus_endpoints (ente, hostname);
