-- Assignment groups and their operational level agreements (OLA).
--
-- The groups a ticket can be assigned to (GLPI's technician groups): the second-level teams of
-- the CST. A ticket keeps its group's name as text, so removing a group from the list only stops
-- new assignments to it.
CREATE TABLE helpdesk_groups (
  name TEXT PRIMARY KEY,
  updated_at TEXT NOT NULL
);
INSERT INTO helpdesk_groups (name, updated_at)
VALUES ('Postazioni', '2026-01-01T00:00:00.000Z'),
       ('Reti', '2026-01-01T00:00:00.000Z'),
       ('Posta', '2026-01-01T00:00:00.000Z'),
       ('Applicativi', '2026-01-01T00:00:00.000Z'),
       ('Sicurezza', '2026-01-01T00:00:00.000Z');

-- The internal targets the assigned group owes the desk, per priority, in business minutes
-- counted from the ticket's assignment to the group: time for a person of the group to take it,
-- time to solve it. Tighter than the SLA the desk owes the Comuni (service_settings.cpp checks
-- it), so that a group that keeps its OLA keeps the SLA.
CREATE TABLE helpdesk_ola_policies (
  priority INTEGER PRIMARY KEY CHECK (priority BETWEEN 1 AND 6),
  own_minutes INTEGER NOT NULL CHECK (own_minutes > 0),
  resolve_minutes INTEGER NOT NULL CHECK (resolve_minutes > 0),
  updated_at TEXT NOT NULL
);
INSERT INTO helpdesk_ola_policies (priority, own_minutes, resolve_minutes, updated_at)
VALUES (6, 15, 180, '2026-01-01T00:00:00.000Z'),
       (5, 30, 360, '2026-01-01T00:00:00.000Z'),
       (4, 60, 720, '2026-01-01T00:00:00.000Z'),
       (3, 120, 1440, '2026-01-01T00:00:00.000Z'),
       (2, 240, 2160, '2026-01-01T00:00:00.000Z'),
       (1, 480, 3600, '2026-01-01T00:00:00.000Z');

-- The current group's clocks (model.hpp groupClockOf): when the ticket reached the group, when a
-- person took it there, the business minutes it then spent pending or solved; and the OLA view
-- the SLA job keeps up to date, as for the SLA.
ALTER TABLE helpdesk_tickets ADD COLUMN group_since TEXT;
ALTER TABLE helpdesk_tickets ADD COLUMN group_owned_at TEXT;
ALTER TABLE helpdesk_tickets ADD COLUMN group_paused_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE helpdesk_tickets ADD COLUMN ola_due_own TEXT;
ALTER TABLE helpdesk_tickets ADD COLUMN ola_due_resolve TEXT;
ALTER TABLE helpdesk_tickets ADD COLUMN ola_own TEXT;
ALTER TABLE helpdesk_tickets ADD COLUMN ola_resolve TEXT;
