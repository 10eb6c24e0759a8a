-- The search index of the AIPs' Allegato 5 metadata (search.hpp): one row per distinct value of
-- an AIP's `metadati` under its path (keys joined by '.', list items under the list's path).
-- `ente` is repeated from the AIP so that a search stays within one ente's rows of the index.
-- `value_lower` is the value with its ASCII letters lowered, as db::containsPattern lowers the
-- text searched, so that the substring search compares without LOWER() on every row.
CREATE TABLE preservation_metadata (
  aip_id TEXT NOT NULL REFERENCES preservation_aips (id),
  ente TEXT NOT NULL,
  path TEXT NOT NULL,
  value TEXT NOT NULL,
  value_lower TEXT NOT NULL,
  PRIMARY KEY (aip_id, path, value)
);
-- meta.<path>=<value>: an exact lookup.
CREATE INDEX preservation_metadata_exact ON preservation_metadata (ente, path, value);
-- q: a LIKE '%...%' cannot seek, but it scans this narrower index instead of the table.
CREATE INDEX preservation_metadata_text ON preservation_metadata (ente, value_lower, aip_id);

-- The AIPs kept before this index: indexed from their metadati.json in the copies by the first
-- search after the upgrade (reading the copies cannot happen inside a migration), each row
-- deleted in the transaction that indexes its AIP.
CREATE TABLE preservation_metadata_pending (
  aip_id TEXT PRIMARY KEY REFERENCES preservation_aips (id)
);
INSERT INTO preservation_metadata_pending (aip_id) SELECT id FROM preservation_aips;
