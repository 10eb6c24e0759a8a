-- What the antivirus said of each stored upload: 'clean', 'not_scanned' (over the scanner's size
-- limit, accepted because [antivirus] oversize = "flag"), 'released' (from quarantine, by an
-- administrator, as a false positive).
ALTER TABLE uploads ADD COLUMN scan TEXT NOT NULL DEFAULT 'clean';
