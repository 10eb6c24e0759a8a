-- The protocol register of every ente (its AOO): configuration, titolario, fascicoli, the yearly
-- counters and the registrations (DPR 445/2000 art. 53), which are never updated except to record
-- an annulment (art. 54).

-- The ente's AOO as it appears in the segnatura; the Amministrazione's IPA code is the enti
-- registry's.
CREATE TABLE protocol_aoo (
  ente TEXT PRIMARY KEY REFERENCES enti (istat),
  aoo_code TEXT NOT NULL,
  aoo_name TEXT NOT NULL,
  registry_code TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- The titolario (classification scheme) per ente: "6" (titolo), "6.3" (classe), ... A class is
-- deactivated, never deleted: old registrations keep pointing at it.
CREATE TABLE protocol_classes (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX protocol_classes_code ON protocol_classes (ente, code);

-- Fascicoli: the folders documents of one matter are gathered in, each under one class.
CREATE TABLE protocol_folders (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  code TEXT NOT NULL,
  subject TEXT NOT NULL,
  class_code TEXT NOT NULL,
  opened_on TEXT NOT NULL,
  closed_on TEXT,
  created_by TEXT NOT NULL
);
CREATE UNIQUE INDEX protocol_folders_code ON protocol_folders (ente, code);

-- The last number given per ente and year: incremented in the registration's own transaction,
-- so that a registration that does not commit does not use a number (no gaps).
CREATE TABLE protocol_counters (
  ente TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_number BIGINT NOT NULL,
  PRIMARY KEY (ente, year)
);

CREATE TABLE protocol_registrations (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  year INTEGER NOT NULL,
  number BIGINT NOT NULL,
  registry_code TEXT NOT NULL,
  registered_at TEXT NOT NULL,      -- UTC, RFC 3339
  registered_on TEXT NOT NULL,      -- the date in Europe/Rome (YYYY-MM-DD)
  flow TEXT NOT NULL,               -- incoming, outgoing, internal
  subject TEXT NOT NULL,
  correspondents TEXT NOT NULL,     -- JSON: the sender (incoming) or the recipients
  correspondent_names TEXT NOT NULL, -- for the search
  sender_date TEXT,                 -- art. 53 e): date and number of the document received
  sender_number TEXT,
  channel TEXT,
  class_code TEXT NOT NULL,
  class_description TEXT NOT NULL,
  folder_code TEXT,
  folder_subject TEXT,
  reserved INTEGER NOT NULL DEFAULT 0,
  attachments_count INTEGER NOT NULL,
  segnatura TEXT NOT NULL,          -- the signed segnatura XML, as made at registration
  segnatura_sha256 TEXT NOT NULL,
  registered_by TEXT NOT NULL,
  annulled_at TEXT,
  annulled_by TEXT,
  annulment_reason TEXT,
  annulment_authorisation TEXT
);
CREATE UNIQUE INDEX protocol_registrations_number ON protocol_registrations (ente, year, number);
CREATE INDEX protocol_registrations_day ON protocol_registrations (ente, registered_on, number);

-- The primary document (seq 0) and the attachments (1..) of a registration, as stored in the blob
-- store after the antivirus.
CREATE TABLE protocol_documents (
  registration_id BIGINT NOT NULL REFERENCES protocol_registrations (id),
  seq INTEGER NOT NULL,
  upload_id TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  description TEXT,
  PRIMARY KEY (registration_id, seq)
);
