-- Reconciliation files (flussi di rendicontazione, FdR): what a PSP reports it credited to one of
-- our creditors with one SEPA credit transfer, and how each reported payment matched our receipts.

-- One revision of a flow, for the ente it is addressed to (istitutoRicevente). A PSP re-publishes
-- a flow with the same identificativoFlusso and a later dataOraFlusso: that is a new row, and the
-- older revision gets superseded_by (its rows no longer count). declared_* are the header's,
-- rows_count and total_cents what the rows add up to; anomalies holds the flow's own anomalies
-- (count, total) as a JSON array of {code, message}; xml is the file exactly as received.
CREATE TABLE payments_fdr_flows (
  id {{id}},
  ente TEXT NOT NULL REFERENCES enti (istat),
  flow_id TEXT NOT NULL,
  flow_date_time TEXT NOT NULL,
  version TEXT NOT NULL,
  settlement_ref TEXT NOT NULL,
  settlement_date TEXT NOT NULL,
  psp_id_type TEXT NOT NULL,
  psp_id TEXT NOT NULL,
  psp_name TEXT,
  bic TEXT,
  receiver_fiscal_code TEXT NOT NULL,
  receiver_name TEXT,
  declared_count BIGINT NOT NULL,
  declared_total_cents BIGINT NOT NULL,
  rows_count BIGINT NOT NULL,
  total_cents BIGINT NOT NULL,
  rows_ok BIGINT NOT NULL,
  rows_anomalous BIGINT NOT NULL,
  rows_other BIGINT NOT NULL,
  positions_reported BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('ACQUIRED', 'ANOMALOUS')),
  anomalies TEXT NOT NULL,
  superseded_by BIGINT REFERENCES payments_fdr_flows (id),
  xml_sha256 TEXT NOT NULL,
  xml TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
);
-- One revision is imported once, also by two imports at once (the loser finds the winner's).
CREATE UNIQUE INDEX payments_fdr_flows_revision
  ON payments_fdr_flows (ente, flow_id, psp_id, flow_date_time);
CREATE INDEX payments_fdr_flows_ente ON payments_fdr_flows (ente, id);
CREATE INDEX payments_fdr_flows_settlement ON payments_fdr_flows (ente, settlement_date);

-- One reported payment (datiSingoliPagamenti) with our verdict: OK (matched to a receipt),
-- ANOMALOUS (anomaly_code is GovPay's code, anomaly_message our Italian text) or
-- OTHER_INTERMEDIARY (an IUV another intermediary of the creditor issued). amount_cents is signed:
-- revocations (outcome_code 3) are negative. receipt_id and position_id are the match.
CREATE TABLE payments_fdr_rows (
  id {{id}},
  flow BIGINT NOT NULL REFERENCES payments_fdr_flows (id),
  ente TEXT NOT NULL REFERENCES enti (istat),
  seq INTEGER NOT NULL,
  iuv TEXT NOT NULL,
  iur TEXT NOT NULL,
  transfer_index INTEGER NOT NULL,
  amount_cents BIGINT NOT NULL,
  outcome_code INTEGER NOT NULL,
  outcome_date TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('OK', 'ANOMALOUS', 'OTHER_INTERMEDIARY')),
  anomaly_code TEXT,
  anomaly_message TEXT,
  receipt_id BIGINT REFERENCES payments_receipts (id),
  position_id BIGINT REFERENCES payments_positions (id)
);
CREATE UNIQUE INDEX payments_fdr_rows_seq ON payments_fdr_rows (flow, seq);
-- The same payment reported by another flow; the transfers of a receipt already reported.
CREATE INDEX payments_fdr_rows_payment ON payments_fdr_rows (ente, iuv, iur);
CREATE INDEX payments_fdr_rows_receipt ON payments_fdr_rows (receipt_id);
CREATE INDEX payments_fdr_rows_state ON payments_fdr_rows (ente, state, id);
