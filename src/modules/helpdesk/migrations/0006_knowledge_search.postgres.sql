-- Full-text search over articles on PostgreSQL, as for tickets (0002): Italian configuration,
-- title weighted above body.
ALTER TABLE helpdesk_articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('italian', title), 'A') || setweight(to_tsvector('italian', body), 'B')
) STORED;
CREATE INDEX helpdesk_articles_search ON helpdesk_articles USING GIN (search);
