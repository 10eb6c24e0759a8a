-- Satisfaction survey and what the reports count.

-- The requester's rating of a solved ticket (once): 1..5 and a comment (required for 1 and 2).
CREATE TABLE helpdesk_satisfaction (
  ticket_id BIGINT PRIMARY KEY REFERENCES helpdesk_tickets (id),
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment TEXT NOT NULL,
  answered_at TEXT NOT NULL
);

-- First-contact resolution: solved with at most one public answer of the desk, never reopened.
ALTER TABLE helpdesk_tickets ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE helpdesk_tickets ADD COLUMN desk_replies INTEGER NOT NULL DEFAULT 0;
CREATE INDEX helpdesk_tickets_opened ON helpdesk_tickets (opened_at);
