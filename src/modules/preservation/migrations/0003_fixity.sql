-- Fixity audits: every object kept in the copies (documents, metadata, indexes, signatures,
-- time-stamps, receipts, certificates), when it was last re-hashed and what was found; every
-- audit run and each problem it found and what it did about it.

-- The inventory the audits walk: an object is listed once however many packages hold it.
-- `state`: 'intact' (every copy matched its hash at `checked_at`), 'repaired' (a damaged or
-- missing copy was rewritten from a good one), 'lost' (no copy matched: an alarm is open).
CREATE TABLE preservation_objects (
  sha256 TEXT PRIMARY KEY,
  size INTEGER,
  registered_at TEXT NOT NULL,
  checked_at TEXT,
  state TEXT NOT NULL DEFAULT 'unchecked'
    CHECK (state IN ('unchecked', 'intact', 'repaired', 'lost'))
);
CREATE INDEX preservation_objects_due ON preservation_objects (checked_at);

INSERT INTO preservation_objects (sha256, size, registered_at)
  SELECT sha256, MAX(size), MIN(a.created_at) FROM preservation_files f
    JOIN preservation_aips a ON a.id = f.aip_id GROUP BY sha256;
INSERT INTO preservation_objects (sha256, registered_at)
  SELECT receipt_sha256, MIN(received_at) FROM preservation_sips
    WHERE receipt_sha256 NOT IN (SELECT sha256 FROM preservation_objects) GROUP BY receipt_sha256;
INSERT INTO preservation_objects (sha256, registered_at)
  SELECT c.sha256, MIN(c.created_at) FROM (
    SELECT seal_certificate_sha256 AS sha256, created_at FROM preservation_aips
    UNION ALL SELECT tsa_certificate_sha256, created_at FROM preservation_aips) c
    WHERE c.sha256 IS NOT NULL AND c.sha256 NOT IN (SELECT sha256 FROM preservation_objects)
    GROUP BY c.sha256;

-- One audit: scheduled (the objects due in the cycle) or on demand (an ente's or one AIP's).
CREATE TABLE preservation_fixity_runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'on_demand')),
  scope_ente TEXT,
  scope_aip TEXT,
  requested_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  objects INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  copies_checked INTEGER NOT NULL,
  intact INTEGER NOT NULL,
  repaired INTEGER NOT NULL,
  lost INTEGER NOT NULL
);
CREATE INDEX preservation_fixity_runs_started ON preservation_fixity_runs (started_at);

-- A copy that did not match its hash (or was missing), for each ente whose packages hold the
-- object: what was found and what was done.
CREATE TABLE preservation_fixity_findings (
  run_id TEXT NOT NULL REFERENCES preservation_fixity_runs (id),
  sha256 TEXT NOT NULL,
  ente TEXT NOT NULL,
  copy_number INTEGER NOT NULL,
  problem TEXT NOT NULL CHECK (problem IN ('damaged', 'missing')),
  outcome TEXT NOT NULL CHECK (outcome IN ('repaired', 'lost')),
  ticket_id INTEGER,
  PRIMARY KEY (run_id, sha256, ente, copy_number)
);
CREATE INDEX preservation_fixity_findings_ente ON preservation_fixity_findings (ente, run_id);
