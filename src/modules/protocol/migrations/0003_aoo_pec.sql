-- The AOO's PEC address (domicilio digitale as published in IPA): the segnatura and the
-- interoperability messages name it, and the daily register's Allegato 5 metadata need the
-- registering administration's digital address. Nullable: AOOs configured before have none until
-- their referent sets it.
ALTER TABLE protocol_aoo ADD COLUMN pec TEXT;
