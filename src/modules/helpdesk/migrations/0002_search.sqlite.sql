-- Full-text search over tickets on SQLite: an FTS5 index kept by triggers, ranked with bm25.
-- unicode61 with diacritics removed: "perche" finds "perché". (No Italian stemmer in FTS5;
-- searches match word prefixes instead.)
CREATE VIRTUAL TABLE helpdesk_tickets_fts USING fts5(
  subject, description, content='helpdesk_tickets', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO helpdesk_tickets_fts (rowid, subject, description)
  SELECT id, subject, description FROM helpdesk_tickets;
CREATE TRIGGER helpdesk_tickets_fts_insert AFTER INSERT ON helpdesk_tickets BEGIN
  INSERT INTO helpdesk_tickets_fts (rowid, subject, description)
  VALUES (new.id, new.subject, new.description);
END;
CREATE TRIGGER helpdesk_tickets_fts_delete AFTER DELETE ON helpdesk_tickets BEGIN
  INSERT INTO helpdesk_tickets_fts (helpdesk_tickets_fts, rowid, subject, description)
  VALUES ('delete', old.id, old.subject, old.description);
END;
CREATE TRIGGER helpdesk_tickets_fts_update AFTER UPDATE OF subject, description ON helpdesk_tickets BEGIN
  INSERT INTO helpdesk_tickets_fts (helpdesk_tickets_fts, rowid, subject, description)
  VALUES ('delete', old.id, old.subject, old.description);
  INSERT INTO helpdesk_tickets_fts (rowid, subject, description)
  VALUES (new.id, new.subject, new.description);
END;
