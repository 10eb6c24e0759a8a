-- Debt positions (posizioni debitorie), their payment options and transfers, the timeline of
-- their states, and the IUV allocator's counters. Amounts are integer cents.

-- What a debtor owes an ente. reference is the ente's own key (GPD iupd).
CREATE TABLE payments_positions (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  reference TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('DRAFT', 'VALID', 'PARTIALLY_PAID', 'PAID', 'REPORTED',
                                         'EXPIRED', 'INVALID')),
  debtor_type TEXT NOT NULL CHECK (debtor_type IN ('F', 'G')),
  debtor_fiscal_code TEXT NOT NULL,
  debtor_name TEXT NOT NULL,
  debtor_street TEXT,
  debtor_civic_number TEXT,
  debtor_postal_code TEXT,
  debtor_city TEXT,
  debtor_province TEXT,
  debtor_country TEXT,
  debtor_email TEXT,
  description TEXT NOT NULL,
  service_code TEXT NOT NULL,
  valid_until TEXT,
  invalid_reason TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX payments_positions_reference ON payments_positions (ente, reference);
CREATE INDEX payments_positions_ente ON payments_positions (ente, id);
CREATE INDEX payments_positions_debtor ON payments_positions (debtor_fiscal_code, id);
-- The expiry job looks for VALID positions past their last day.
CREATE INDEX payments_positions_expiry ON payments_positions (status, valid_until);

-- A single payment or one instalment of a plan. The IUV and notice number come from the allocator
-- in the transaction that inserts the row; the unique indexes are the last line of defence.
CREATE TABLE payments_options (
  id {{id}},
  position_id BIGINT NOT NULL REFERENCES payments_positions (id),
  ente TEXT NOT NULL REFERENCES enti (istat),
  seq INTEGER NOT NULL,
  instalment INTEGER NOT NULL,
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  due_date TEXT NOT NULL,
  description TEXT,
  iuv TEXT NOT NULL,
  notice_number TEXT NOT NULL
);
CREATE UNIQUE INDEX payments_options_seq ON payments_options (position_id, seq);
CREATE UNIQUE INDEX payments_options_iuv ON payments_options (ente, iuv);
CREATE UNIQUE INDEX payments_options_notice ON payments_options (ente, notice_number);
-- The node and the citizen look a notice up by its number alone.
CREATE INDEX payments_options_notice_number ON payments_options (notice_number);

-- Where the money of an option goes: 1..5 transfers (pagoPA's limit), the first the ente's own;
-- beneficiary_fiscal_code names another creditor (multi-beneficiary), null for the ente itself.
CREATE TABLE payments_transfers (
  option_id BIGINT NOT NULL REFERENCES payments_options (id),
  ente TEXT NOT NULL REFERENCES enti (istat),
  seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 5),
  amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
  iban TEXT NOT NULL,
  remittance TEXT NOT NULL,
  beneficiary_fiscal_code TEXT,
  PRIMARY KEY (option_id, seq)
);

-- Every change of state, with who and why (the audit log has the same, chained).
CREATE TABLE payments_position_events (
  id {{id}},
  position_id BIGINT NOT NULL REFERENCES payments_positions (id),
  ente TEXT NOT NULL REFERENCES enti (istat),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX payments_position_events_position ON payments_position_events (position_id, id);

-- The IUV allocator: the next 13-digit base per ente and segregation code. Only ever increased,
-- never reset, so an IUV (and its notice number) is never issued twice, even after the position
-- that had it is deleted.
CREATE TABLE payments_iuv_counters (
  ente TEXT NOT NULL REFERENCES enti (istat),
  segregation_code TEXT NOT NULL,
  next_base BIGINT NOT NULL CHECK (next_base > 0),
  PRIMARY KEY (ente, segregation_code)
);
