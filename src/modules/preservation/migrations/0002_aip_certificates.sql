-- The certificates an AIP's signature and time-stamp verify with, as they were when it was made
-- (kept in the copies by SHA-256): the seal or the TSA may be replaced later, and the DIP must
-- still carry the ones that signed.
ALTER TABLE preservation_aips ADD COLUMN seal_certificate_sha256 TEXT;
ALTER TABLE preservation_aips ADD COLUMN tsa_certificate_sha256 TEXT;
