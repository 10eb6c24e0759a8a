-- The desk's own mailbox: new tickets nobody was told about, and SLA alarms of unassigned tickets.
ALTER TABLE helpdesk_settings ADD COLUMN notify_email TEXT;
