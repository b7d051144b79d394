-- elicit schema v5: stakeholder sign-off and the departments a project expects to hear from.
--
-- A confirmation is one stakeholder's answer about one requirement: confirmed, changed (asked for a change)
-- or rejected, on a date, with an optional note. Answers are never overwritten: a stakeholder who answers
-- again adds a row, and the newest live row per (requirement, stakeholder) is the one that counts. The
-- requirement's version at the time is kept, so "changed since confirmation" is the version having moved on
-- (every edit, undo or lost stage raises it), whatever the clocks of the machines involved said.
CREATE TABLE confirmation (
    id                  TEXT PRIMARY KEY NOT NULL,
    project_id          TEXT NOT NULL REFERENCES project(id),
    requirement_id      TEXT NOT NULL REFERENCES requirement(id),
    stakeholder_id      TEXT NOT NULL REFERENCES stakeholder(id),
    verdict             TEXT NOT NULL CHECK (verdict IN ('confirmed','changed','rejected')),
    note                TEXT NOT NULL DEFAULT '',
    requirement_version INTEGER NOT NULL CHECK (requirement_version >= 1),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    deleted_at          TEXT
);
CREATE INDEX confirmation_requirement ON confirmation(requirement_id, stakeholder_id, created_at);
CREATE INDEX confirmation_project ON confirmation(project_id, created_at);

-- The departments a project expects to hear from, in the order the analyst listed them; coverage measures
-- "departments not heard" against these plus the departments of the stakeholders met.
CREATE TABLE project_department (
    project_id TEXT NOT NULL REFERENCES project(id),
    department TEXT NOT NULL COLLATE NOCASE CHECK (department <> ''),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, department)
) WITHOUT ROWID;
