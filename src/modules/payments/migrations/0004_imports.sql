-- The tax-roll imports (ruoli, liste di carico) and their reports: who imported which file for
-- which ente, how it went, and the errors the office needs to fix its spreadsheet.

-- outcome: completed (every row became a position), partial (valid_rows: some did), rejected
-- (none did). rows_read = rows_accepted + rows_rejected, always. errors holds the first 1000
-- errors as a JSON array of {line, column, field, message}; errors_total counts them all.
CREATE TABLE payments_imports (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  mode TEXT NOT NULL CHECK (mode IN ('all_or_nothing', 'valid_rows')),
  publish INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'partial', 'rejected')),
  file_bytes BIGINT NOT NULL,
  file_sha256 TEXT NOT NULL,
  lines BIGINT NOT NULL,
  rows_read BIGINT NOT NULL,
  rows_accepted BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL CHECK (rows_accepted + rows_rejected = rows_read),
  positions_created BIGINT NOT NULL,
  positions_rejected BIGINT NOT NULL,
  errors_total BIGINT NOT NULL,
  errors TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX payments_imports_ente ON payments_imports (ente, id);
