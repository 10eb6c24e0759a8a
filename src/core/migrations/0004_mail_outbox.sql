-- Outgoing e-mail (core/mail/outbox.hpp): written by the transaction of the change it reports,
-- delivered to the SMTP relay by the "Invio posta" job. next_attempt_at is also the delivery lease
-- (pushed forward while one instance is sending); headers is a JSON object of extra fields.
CREATE TABLE mail_outbox (
  id {{id}},
  ente TEXT REFERENCES enti (istat),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  headers TEXT NOT NULL DEFAULT '{}',
  message_id TEXT,
  created_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error TEXT,
  sent_at TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_ente ON mail_outbox (ente, created_at);
