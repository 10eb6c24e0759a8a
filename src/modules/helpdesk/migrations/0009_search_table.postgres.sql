-- The tickets' search vectors move to their own table. As a generated column of helpdesk_tickets
-- (0002) the vector was recomputed, and its GIN entries written again, on every update of a
-- ticket (PostgreSQL rewrites the whole row): the SLA job paid full-text indexing for each due
-- time it moved. Subject and description never change after opening, so the store writes the
-- vector once, with the ticket.
CREATE TABLE helpdesk_ticket_search (
  ticket_id BIGINT PRIMARY KEY REFERENCES helpdesk_tickets (id),
  search tsvector NOT NULL
);
INSERT INTO helpdesk_ticket_search (ticket_id, search) SELECT id, search FROM helpdesk_tickets;
DROP INDEX helpdesk_tickets_search;
ALTER TABLE helpdesk_tickets DROP COLUMN search;
CREATE INDEX helpdesk_ticket_search_gin ON helpdesk_ticket_search USING GIN (search);
