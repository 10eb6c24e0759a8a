-- The daily register (registro giornaliero di protocollo, DPR 445/2000 art. 53 c.2): one per ente
-- and Rome day since the AOO was configured, empty days included, made by a job and never remade.
ALTER TABLE protocol_aoo ADD COLUMN configured_on TEXT;
UPDATE protocol_aoo SET configured_on = substr(updated_at, 1, 10) WHERE configured_on IS NULL;

CREATE TABLE protocol_daily_registers (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  day TEXT NOT NULL,
  registrations INTEGER NOT NULL,
  annulments INTEGER NOT NULL,
  pdf_sha256 TEXT NOT NULL,
  pdf_size BIGINT NOT NULL,
  json_sha256 TEXT NOT NULL,
  json_size BIGINT NOT NULL,
  produced_at TEXT NOT NULL
);
CREATE UNIQUE INDEX protocol_daily_registers_day ON protocol_daily_registers (ente, day);
CREATE INDEX protocol_registrations_annulled ON protocol_registrations (ente, annulled_at);
