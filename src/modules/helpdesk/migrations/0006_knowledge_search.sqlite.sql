-- Full-text search over articles on SQLite, as for tickets (0002): FTS5 kept by triggers.
CREATE VIRTUAL TABLE helpdesk_articles_fts USING fts5(
  title, body, content='helpdesk_articles', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER helpdesk_articles_fts_insert AFTER INSERT ON helpdesk_articles BEGIN
  INSERT INTO helpdesk_articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER helpdesk_articles_fts_delete AFTER DELETE ON helpdesk_articles BEGIN
  INSERT INTO helpdesk_articles_fts (helpdesk_articles_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER helpdesk_articles_fts_update AFTER UPDATE OF title, body ON helpdesk_articles BEGIN
  INSERT INTO helpdesk_articles_fts (helpdesk_articles_fts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO helpdesk_articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
