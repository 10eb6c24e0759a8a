-- The agents' console: watchers, links between tickets, merges and canned answers.

-- Users who follow a ticket (GLPI's observers): they are notified like the requester.
CREATE TABLE helpdesk_watchers (
  ticket_id BIGINT NOT NULL REFERENCES helpdesk_tickets (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  added_at TEXT NOT NULL,
  PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX helpdesk_watchers_user ON helpdesk_watchers (user_id);

-- One row per linked pair, low_id < high_id; kind is read from low_id's side (model.hpp LinkKind).
CREATE TABLE helpdesk_links (
  low_id BIGINT NOT NULL REFERENCES helpdesk_tickets (id),
  high_id BIGINT NOT NULL REFERENCES helpdesk_tickets (id),
  kind TEXT NOT NULL CHECK (kind IN ('related', 'duplicates', 'duplicated_by', 'parent_of', 'child_of')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (low_id, high_id),
  CHECK (low_id < high_id)
);
CREATE INDEX helpdesk_links_high ON helpdesk_links (high_id);

ALTER TABLE helpdesk_tickets ADD COLUMN merged_into BIGINT REFERENCES helpdesk_tickets (id);

-- Replies the desk writes often; placeholders such as {richiedente} are filled from the
-- ticket when the answer is used.
CREATE TABLE helpdesk_canned_answers (
  id {{id}},
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  category_id BIGINT REFERENCES helpdesk_categories (id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX helpdesk_canned_answers_title ON helpdesk_canned_answers (title);
