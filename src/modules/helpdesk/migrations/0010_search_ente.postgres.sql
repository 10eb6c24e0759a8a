-- A Comune's clerk searches only their ente's tickets. With the ente beside the vector (a ticket
-- never changes ente), the search walks that ente's vectors newest first without visiting a
-- ticket row for each candidate: joining the tickets to learn their ente cost a visit to every
-- ticket of the ente in the id range searched.
ALTER TABLE helpdesk_ticket_search ADD COLUMN ente TEXT;
UPDATE helpdesk_ticket_search s SET ente = t.ente FROM helpdesk_tickets t WHERE t.id = s.ticket_id;
ALTER TABLE helpdesk_ticket_search ALTER COLUMN ente SET NOT NULL;
CREATE INDEX helpdesk_ticket_search_ente ON helpdesk_ticket_search (ente, ticket_id);
