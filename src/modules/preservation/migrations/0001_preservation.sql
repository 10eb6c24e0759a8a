-- The preservation service (Conservazione): every SIP offered and its outcome (the rapporto di
-- versamento), and every AIP kept, with its files. The files' bytes are in the copies (blob
-- stores named by SHA-256); these rows say what each package holds.

-- Every SIP, accepted or rejected: the receipt is the legal trace of both. A rejected SIP keeps
-- only this row (its problems and the hashes of what was offered), never its content.
CREATE TABLE preservation_sips (
  id TEXT PRIMARY KEY,
  ente TEXT NOT NULL REFERENCES enti (istat),
  received_at TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
  source TEXT NOT NULL,
  source_ref TEXT,
  submitted_by TEXT NOT NULL,
  objects TEXT NOT NULL,
  problems TEXT NOT NULL,
  aip_id TEXT,
  receipt_sha256 TEXT NOT NULL
);
CREATE INDEX preservation_sips_ente ON preservation_sips (ente, received_at);
-- A module's object (a daily register) is ingested once, however many times it is offered.
CREATE UNIQUE INDEX preservation_sips_source ON preservation_sips (source, source_ref)
  WHERE source_ref IS NOT NULL AND outcome = 'accepted';

-- An AIP: the documents, their metadata, the SInCRO index, its CAdES signature and the RFC 3161
-- time-stamp over that signature.
CREATE TABLE preservation_aips (
  id TEXT PRIMARY KEY,
  ente TEXT NOT NULL REFERENCES enti (istat),
  sip_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  document_class TEXT,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL,
  index_sha256 TEXT NOT NULL,
  signature_sha256 TEXT NOT NULL,
  timestamp_sha256 TEXT NOT NULL,
  timestamp_time TEXT NOT NULL,
  tsa TEXT NOT NULL,
  documents_bytes INTEGER NOT NULL,
  package_bytes INTEGER NOT NULL
);
CREATE INDEX preservation_aips_ente ON preservation_aips (ente, created_at);

-- The files of an AIP, in package order: documents first, then metadata, index, signature and
-- time-stamp. `path` is the file's place in the package (and in the DIP's zip).
CREATE TABLE preservation_files (
  aip_id TEXT NOT NULL REFERENCES preservation_aips (id),
  position INTEGER NOT NULL,
  role TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  format TEXT NOT NULL,
  mime TEXT NOT NULL,
  PRIMARY KEY (aip_id, position)
);

-- How far the intake from another module has gone (the protocol's daily registers: the sequence
-- of the last one offered).
CREATE TABLE preservation_intake (
  source TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);
