-- elicit schema v6: quality findings an analyst accepted on a requirement, with the reason. A requirement's
-- list, kept and logged like its tags (so undo and history cover it); each entry is one JSON object
-- {rule, field, subject, reason, by, at}.
CREATE TABLE requirement_accepted_finding (
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    finding        TEXT NOT NULL CHECK (json_valid(finding)),
    position       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (requirement_id, position)
) WITHOUT ROWID;
