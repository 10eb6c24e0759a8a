-- Tickets raised by other modules' monitoring: one open ticket per condition (ente, source, key).
ALTER TABLE helpdesk_tickets ADD COLUMN monitoring_source TEXT;
ALTER TABLE helpdesk_tickets ADD COLUMN monitoring_key TEXT;
CREATE UNIQUE INDEX helpdesk_tickets_open_condition
  ON helpdesk_tickets (ente, monitoring_source, monitoring_key)
  WHERE monitoring_key IS NOT NULL AND state NOT IN ('solved', 'closed');
