-- The creditor-side interface to the pagoPA node (paForNode): the CST's registration as
-- technological intermediary, and the receipts the node sends.

-- The CST as the Comuni's technological intermediary (intermediario tecnologico): the fiscal code
-- pagoPA knows it by (idBrokerPA) and its station (idStation), as registered with PagoPA S.p.A.
-- One row: the node names both in every request and we refuse a request meant for someone else.
CREATE TABLE payments_broker (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  broker_fiscal_code TEXT NOT NULL,
  station_id TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- Receipts (ricevute telematiche, paSendRTV2) as the node delivered them to one of our creditors
-- (ente, the idPA of the request). receipt_id is pagoPA's receiptId (the payment token, the IUR of
-- the reconciliation files). option_id is null for a receipt of another creditor's notice where
-- our ente is only a secondary beneficiary of a transfer. anomaly says why a stored receipt did
-- not move its position (e.g. it arrived for an INVALID one): the money was collected anyway and
-- the office must act. xml is the receipt element exactly as received.
CREATE TABLE payments_receipts (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  receipt_id TEXT NOT NULL,
  position_id BIGINT REFERENCES payments_positions (id),
  option_id BIGINT REFERENCES payments_options (id),
  creditor_fiscal_code TEXT NOT NULL,
  notice_number TEXT NOT NULL,
  iuv TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('OK', 'KO')),
  amount_cents BIGINT NOT NULL,
  fee_cents BIGINT,
  description TEXT NOT NULL,
  debtor_type TEXT NOT NULL CHECK (debtor_type IN ('F', 'G')),
  debtor_fiscal_code TEXT NOT NULL,
  debtor_name TEXT NOT NULL,
  payer_fiscal_code TEXT,
  payer_name TEXT,
  psp_id TEXT NOT NULL,
  psp_name TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  payment_method TEXT,
  payment_date_time TEXT,
  application_date TEXT,
  transfer_date TEXT,
  stand_in INTEGER NOT NULL,
  transfers TEXT NOT NULL,
  anomaly TEXT,
  xml TEXT NOT NULL,
  received_at TEXT NOT NULL
);
-- The same receipt delivered twice is one receipt (the node retries until it gets OK).
CREATE UNIQUE INDEX payments_receipts_receipt ON payments_receipts (ente, receipt_id);
-- One successful payment per option: a second, different receipt is refused
-- (PAA_RECEIPT_DUPLICATA); the index settles two arriving at once on two instances.
CREATE UNIQUE INDEX payments_receipts_paid_option ON payments_receipts (option_id)
  WHERE outcome = 'OK';
CREATE INDEX payments_receipts_position ON payments_receipts (position_id, id);
CREATE INDEX payments_receipts_ente ON payments_receipts (ente, id);
