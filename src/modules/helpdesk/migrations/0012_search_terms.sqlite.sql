-- The vocabulary of the tickets' full-text index (SQLite), so that a search word can be expanded
-- into the exact terms it is a prefix of: FTS5 answers a prefix query by merging the whole
-- doclist of every term it covers before returning a row, and reads an exact term's lazily
-- (store_search.cpp). The terms come from a scratch FTS5 table with the same tokenizer as the
-- index, emptied and given each new or changed ticket's text: they are the index's own terms,
-- folded as it folds them. Never pruned: a term whose tickets are gone expands to no match.
CREATE TABLE helpdesk_search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE helpdesk_search_scratch USING fts5(
  subject, description, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE helpdesk_search_scratch_terms USING fts5vocab(helpdesk_search_scratch, row);
CREATE VIRTUAL TABLE helpdesk_tickets_fts_terms USING fts5vocab(helpdesk_tickets_fts, row);
INSERT INTO helpdesk_search_terms (term) SELECT term FROM helpdesk_tickets_fts_terms;
DROP TABLE helpdesk_tickets_fts_terms;
CREATE TRIGGER helpdesk_search_terms_insert AFTER INSERT ON helpdesk_tickets BEGIN
  INSERT INTO helpdesk_search_scratch (helpdesk_search_scratch) VALUES ('delete-all');
  INSERT INTO helpdesk_search_scratch (rowid, subject, description)
  VALUES (new.id, new.subject, new.description);
  INSERT OR IGNORE INTO helpdesk_search_terms (term)
  SELECT term FROM helpdesk_search_scratch_terms;
END;
CREATE TRIGGER helpdesk_search_terms_update AFTER UPDATE OF subject, description
ON helpdesk_tickets BEGIN
  INSERT INTO helpdesk_search_scratch (helpdesk_search_scratch) VALUES ('delete-all');
  INSERT INTO helpdesk_search_scratch (rowid, subject, description)
  VALUES (new.id, new.subject, new.description);
  INSERT OR IGNORE INTO helpdesk_search_terms (term)
  SELECT term FROM helpdesk_search_scratch_terms;
END;
