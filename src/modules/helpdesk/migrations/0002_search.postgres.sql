-- Full-text search over tickets on PostgreSQL: a generated tsvector with the Italian
-- configuration (stemming, stop words), subject weighted above description, and a GIN index.
ALTER TABLE helpdesk_tickets ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('italian', subject), 'A') || setweight(to_tsvector('italian', description), 'B')
) STORED;
CREATE INDEX helpdesk_tickets_search ON helpdesk_tickets USING GIN (search);
