-- An upload may have no owner: files received by the platform itself (attachments of e-mails
-- from senders who have no account). SQLite cannot drop a NOT NULL: the table is rebuilt.
CREATE TABLE uploads_new (
  id TEXT PRIMARY KEY,
  ente TEXT NOT NULL REFERENCES enti (istat),
  owner_id BIGINT REFERENCES users (id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
INSERT INTO uploads_new SELECT id, ente, owner_id, filename, content_type, sha256, size, created_at
  FROM uploads;
DROP TABLE uploads;
ALTER TABLE uploads_new RENAME TO uploads;
CREATE INDEX uploads_ente ON uploads (ente, created_at);
