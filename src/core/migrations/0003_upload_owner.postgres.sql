-- An upload may have no owner: files received by the platform itself (attachments of e-mails
-- from senders who have no account).
ALTER TABLE uploads ALTER COLUMN owner_id DROP NOT NULL;
