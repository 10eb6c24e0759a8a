-- The service desk: settings of the CST calendar, SLA targets per priority, the category tree,
-- tickets and their timeline.

-- One row: the CST's business calendar (opening hours of the call center, and the ente whose
-- patron saint closes the desk: the CST's seat) and the reopen window.
CREATE TABLE helpdesk_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  opening_hours TEXT NOT NULL,
  calendar_ente TEXT REFERENCES enti (istat),
  reopen_days INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO helpdesk_settings (id, opening_hours, calendar_ente, reopen_days, updated_at)
VALUES (1, 'mon-fri 08:30-13:00,14:00-17:30', NULL, 10, '2026-01-01T00:00:00.000Z');

-- Targets in business minutes. escalations: JSON array of minutes before the resolve deadline.
CREATE TABLE helpdesk_sla_policies (
  priority INTEGER PRIMARY KEY CHECK (priority BETWEEN 1 AND 6),
  own_minutes INTEGER NOT NULL CHECK (own_minutes > 0),
  resolve_minutes INTEGER NOT NULL CHECK (resolve_minutes > 0),
  escalations TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO helpdesk_sla_policies (priority, own_minutes, resolve_minutes, escalations, updated_at)
VALUES (6, 30, 240, '[60, 15]', '2026-01-01T00:00:00.000Z'),
       (5, 60, 480, '[120, 30]', '2026-01-01T00:00:00.000Z'),
       (4, 120, 960, '[240, 60]', '2026-01-01T00:00:00.000Z'),
       (3, 240, 1920, '[480, 120]', '2026-01-01T00:00:00.000Z'),
       (2, 480, 2880, '[480]', '2026-01-01T00:00:00.000Z'),
       (1, 960, 4800, '[960]', '2026-01-01T00:00:00.000Z');

-- service: the module code the category belongs to ("helpdesk" for general IT).
CREATE TABLE helpdesk_categories (
  id {{id}},
  parent_id BIGINT REFERENCES helpdesk_categories (id),
  service TEXT NOT NULL,
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX helpdesk_categories_name ON helpdesk_categories (service, name);

CREATE TABLE helpdesk_tickets (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  type TEXT NOT NULL CHECK (type IN ('incident', 'request')),
  channel TEXT NOT NULL CHECK (channel IN ('portal', 'phone', 'email', 'monitoring')),
  category_id BIGINT REFERENCES helpdesk_categories (id),
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  urgency INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 5),
  impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 6),
  state TEXT NOT NULL,
  requester_id BIGINT REFERENCES users (id),
  requester_name TEXT NOT NULL,
  requester_email TEXT,
  assignee_id BIGINT REFERENCES users (id),
  assignee_group TEXT,
  opened_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  owned_at TEXT,
  pending_since TEXT,
  paused_minutes BIGINT NOT NULL DEFAULT 0,
  solved_at TEXT,
  closed_at TEXT,
  -- The SLA as last evaluated (by a change or by the SLA job), so that queues filter and sort on
  -- it; sla_check_at is when the job must evaluate it again (NULL: nothing to wait for).
  due_own TEXT NOT NULL,
  due_resolve TEXT NOT NULL,
  sla_own TEXT NOT NULL,
  sla_resolve TEXT NOT NULL,
  escalation_level INTEGER NOT NULL DEFAULT 0,
  sla_check_at TEXT
);
CREATE INDEX helpdesk_tickets_ente ON helpdesk_tickets (ente, id);
CREATE INDEX helpdesk_tickets_requester ON helpdesk_tickets (requester_id, id);
CREATE INDEX helpdesk_tickets_state ON helpdesk_tickets (state, id);
CREATE INDEX helpdesk_tickets_sla_check ON helpdesk_tickets (sla_check_at);

-- The timeline. public: shown to the requester (replies, state changes); internal notes are not.
CREATE TABLE helpdesk_events (
  id {{id}},
  ticket_id BIGINT NOT NULL REFERENCES helpdesk_tickets (id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  public INTEGER NOT NULL,
  actor_id BIGINT REFERENCES users (id),
  actor_name TEXT NOT NULL,
  body TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX helpdesk_events_ticket ON helpdesk_events (ticket_id, id);
