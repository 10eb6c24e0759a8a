-- Retention and scarto (reference §1.7): each ente's retention table, the disposal proposals with
-- their approval, the Soprintendenza's authorisation and the execution, and what each one listed.
-- A disposed AIP keeps its rows (files, hashes, receipt): they are the permanent record of what
-- was destroyed; only its content leaves the copies.

-- The piano di conservazione as data: how many years after its date a document of the class may
-- be proposed for scarto; `years` NULL is "permanente". A class without a row is kept for ever.
CREATE TABLE preservation_retention (
  ente TEXT NOT NULL REFERENCES enti (istat),
  document_class TEXT NOT NULL,
  years INTEGER CHECK (years IS NULL OR (years >= 1 AND years <= 100)),
  note TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (ente, document_class)
);

-- One disposal, from the proposal (the elenco di scarto) to its execution or cancellation. The
-- authorisation is the Soprintendenza archivistica's (D.Lgs. 42/2004 art. 21): who gave it, their
-- protocol reference and date, and who recorded it here.
CREATE TABLE preservation_disposals (
  id TEXT PRIMARY KEY,
  ente TEXT NOT NULL REFERENCES enti (istat),
  state TEXT NOT NULL
    CHECK (state IN ('proposed', 'approved', 'authorised', 'executed', 'cancelled')),
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  approved_at TEXT,
  approved_by TEXT,
  approval_note TEXT,
  authority TEXT,
  authority_reference TEXT,
  authorisation_date TEXT,
  authorisation_recorded_by TEXT,
  authorisation_recorded_at TEXT,
  executed_at TEXT,
  executed_by TEXT,
  cancelled_at TEXT,
  cancelled_by TEXT,
  cancel_reason TEXT
);
CREATE INDEX preservation_disposals_ente ON preservation_disposals (ente, created_at);

-- The AIPs a disposal lists, with the rule that made each one due as it was when proposed (the
-- table may change later). `active` is 0 once the disposal is cancelled: an AIP is in at most one
-- disposal that is not cancelled, which the unique index enforces even for concurrent proposals.
CREATE TABLE preservation_disposal_items (
  disposal_id TEXT NOT NULL REFERENCES preservation_disposals (id),
  aip_id TEXT NOT NULL REFERENCES preservation_aips (id),
  position INTEGER NOT NULL,
  document_class TEXT NOT NULL,
  document_date TEXT NOT NULL,
  retention_years INTEGER NOT NULL,
  expired_on TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  deleted_objects INTEGER,
  PRIMARY KEY (disposal_id, aip_id)
);
CREATE UNIQUE INDEX preservation_disposal_items_open ON preservation_disposal_items (aip_id)
  WHERE active = 1;

-- The date retention runs from (the document's registration date, an aggregation's closing date:
-- filled at ingest), and the disposal that destroyed the AIP's content.
ALTER TABLE preservation_aips ADD COLUMN document_date TEXT;
ALTER TABLE preservation_aips ADD COLUMN disposal_id TEXT REFERENCES preservation_disposals (id);
ALTER TABLE preservation_aips ADD COLUMN disposed_at TEXT;
-- The packages already kept have only their ingest time to go by: their metadata is in the
-- copies, out of reach of SQL.
UPDATE preservation_aips SET document_date = substr(created_at, 1, 10);
CREATE INDEX preservation_aips_retention ON preservation_aips (ente, document_class, document_date);
-- A scarto deletes an object only when no live package holds it: looked up by hash.
CREATE INDEX preservation_files_object ON preservation_files (sha256);
