-- One account per person: the codice fiscale binds a citizen's or professional's account to their
-- payment positions and practices (and SPID/CIE logins to the account). NULLs are not compared.
CREATE UNIQUE INDEX users_fiscal_code ON users (fiscal_code);
