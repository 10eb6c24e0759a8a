-- Pagamenti online: each ente's configuration as a pagoPA creditor (Ente Creditore).

-- One row per configured ente. fiscal_code is how the pagoPA node names the creditor (idPA in
-- every SOAP request), so it identifies one ente only.
CREATE TABLE payments_creditors (
  ente TEXT PRIMARY KEY REFERENCES enti (istat),
  fiscal_code TEXT NOT NULL,
  segregation_code TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX payments_creditors_fiscal_code ON payments_creditors (fiscal_code);

-- The accounts payments are credited to, in the order the ente gave them; one is the primary.
-- Debt positions will copy the IBAN they use, so replacing this list never rewrites a position.
CREATE TABLE payments_creditor_ibans (
  ente TEXT NOT NULL REFERENCES payments_creditors (ente),
  seq INTEGER NOT NULL,
  iban TEXT NOT NULL,
  label TEXT,
  is_primary INTEGER NOT NULL,
  PRIMARY KEY (ente, seq)
);
CREATE UNIQUE INDEX payments_creditor_ibans_iban ON payments_creditor_ibans (ente, iban);

-- The service taxonomy codes (tassonomia dei servizi di incasso, full 9/…/ form) the ente
-- collects for, with its own label.
CREATE TABLE payments_service_codes (
  ente TEXT NOT NULL REFERENCES payments_creditors (ente),
  seq INTEGER NOT NULL,
  code TEXT NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (ente, seq)
);
CREATE UNIQUE INDEX payments_service_codes_code ON payments_service_codes (ente, code);
