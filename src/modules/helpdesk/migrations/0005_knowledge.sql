-- The knowledge base: articles per category, public (requesters read them, and they are suggested
-- while a ticket is written) or internal (the desk's own procedures).
CREATE TABLE helpdesk_articles (
  id {{id}},
  category_id BIGINT REFERENCES helpdesk_categories (id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'internal')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX helpdesk_articles_category ON helpdesk_articles (category_id);
