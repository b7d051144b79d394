-- elicit schema v1. Shipped migrations are never edited; add the next numbered file instead.
-- Ids are UUID v7 text; timestamps are RFC 3339 UTC text with microseconds, so text order is time order.
-- Nothing is hard-deleted by the application: rows carry deleted_at.

CREATE TABLE project (
    id            TEXT PRIMARY KEY NOT NULL,
    key           TEXT NOT NULL UNIQUE CHECK (length(key) BETWEEN 2 AND 8 AND key GLOB '[A-Z]*' AND key NOT GLOB '*[^A-Z]*'),
    name          TEXT NOT NULL CHECK (name <> ''),
    description   TEXT NOT NULL DEFAULT '',
    journey       TEXT NOT NULL DEFAULT '',
    planned_hours REAL CHECK (planned_hours IS NULL OR planned_hours > 0),
    target_min    REAL NOT NULL DEFAULT 0.25,
    target_max    REAL NOT NULL DEFAULT 0.40,
    next_seq      INTEGER NOT NULL DEFAULT 1 CHECK (next_seq >= 1),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    last_used_at  TEXT,
    deleted_at    TEXT,
    CHECK (target_min >= 0 AND target_max <= 1 AND target_min <= target_max)
);

CREATE TABLE journey_stage (
    id          TEXT PRIMARY KEY NOT NULL,
    project_id  TEXT NOT NULL REFERENCES project(id),
    name        TEXT NOT NULL CHECK (name <> ''),
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX journey_stage_project ON journey_stage(project_id, position);

CREATE TABLE outcome (
    id          TEXT PRIMARY KEY NOT NULL,
    project_id  TEXT NOT NULL REFERENCES project(id),
    statement   TEXT NOT NULL CHECK (statement <> ''),
    metric      TEXT NOT NULL CHECK (metric IN ('nps','csat','ces','churn','revenue','fcr','time','custom')),
    baseline    REAL,
    target      REAL,
    unit        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX outcome_project ON outcome(project_id);

CREATE TABLE stakeholder (
    id           TEXT PRIMARY KEY NOT NULL,
    project_id   TEXT NOT NULL REFERENCES project(id),
    name         TEXT NOT NULL CHECK (name <> ''),
    role         TEXT NOT NULL DEFAULT '',
    department   TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    contact      TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX stakeholder_project ON stakeholder(project_id);

CREATE TABLE interview (
    id          TEXT PRIMARY KEY NOT NULL,
    project_id  TEXT NOT NULL REFERENCES project(id),
    title       TEXT NOT NULL CHECK (title <> ''),
    mode        TEXT NOT NULL CHECK (mode IN ('in-person','video','phone','workshop')),
    started_at  TEXT NOT NULL,
    ended_at    TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX interview_project ON interview(project_id, started_at);

CREATE TABLE interview_stakeholder (
    interview_id   TEXT NOT NULL REFERENCES interview(id),
    stakeholder_id TEXT NOT NULL REFERENCES stakeholder(id),
    position       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (interview_id, stakeholder_id)
) WITHOUT ROWID;
CREATE INDEX interview_stakeholder_by_stakeholder ON interview_stakeholder(stakeholder_id);

CREATE TABLE requirement (
    id              TEXT PRIMARY KEY NOT NULL,
    project_id      TEXT NOT NULL REFERENCES project(id),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    title           TEXT NOT NULL CHECK (title <> '' AND length(title) <= 200),
    statement       TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL CHECK (kind IN ('functional','quality','constraint','data','business-rule')),
    priority        TEXT NOT NULL CHECK (priority IN ('must','should','could','wont')),
    status          TEXT NOT NULL CHECK (status IN ('draft','proposed','approved','implemented','verified','deferred','rejected')),
    stage_id        TEXT REFERENCES journey_stage(id),
    interview_id    TEXT REFERENCES interview(id),
    channel         TEXT CHECK (channel IS NULL OR channel IN ('store','web','mobile-app','call-centre','ivr','email','chat','billing','field-service','partner','other')),
    pain_point      INTEGER NOT NULL DEFAULT 0 CHECK (pain_point IN (0, 1)),
    moment_of_truth INTEGER NOT NULL DEFAULT 0 CHECK (moment_of_truth IN (0, 1)),
    acceptance      TEXT NOT NULL DEFAULT '',
    rationale       TEXT NOT NULL DEFAULT '',
    quote           TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    UNIQUE (project_id, seq)
);
CREATE INDEX requirement_stage ON requirement(stage_id);
CREATE INDEX requirement_interview ON requirement(interview_id);

CREATE TABLE requirement_outcome (
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    outcome_id     TEXT NOT NULL REFERENCES outcome(id),
    position       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (requirement_id, outcome_id)
) WITHOUT ROWID;
CREATE INDEX requirement_outcome_by_outcome ON requirement_outcome(outcome_id);

CREATE TABLE requirement_source (
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    stakeholder_id TEXT NOT NULL REFERENCES stakeholder(id),
    position       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (requirement_id, stakeholder_id)
) WITHOUT ROWID;
CREATE INDEX requirement_source_by_stakeholder ON requirement_source(stakeholder_id);

CREATE TABLE requirement_tag (
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    tag            TEXT NOT NULL CHECK (tag <> ''),
    position       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (requirement_id, tag)
) WITHOUT ROWID;
CREATE INDEX requirement_tag_by_tag ON requirement_tag(tag);

CREATE TABLE time_entry (
    id           TEXT PRIMARY KEY NOT NULL,
    project_id   TEXT NOT NULL REFERENCES project(id),
    activity     TEXT NOT NULL CHECK (activity IN ('requirements','design','build','test','deploy','management','other')),
    started_at   TEXT NOT NULL,
    ended_at     TEXT CHECK (ended_at IS NULL OR ended_at >= started_at),
    interview_id TEXT REFERENCES interview(id),
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX time_entry_project ON time_entry(project_id, started_at);
-- At most one running timer per project.
CREATE UNIQUE INDEX time_entry_one_running ON time_entry(project_id) WHERE ended_at IS NULL AND deleted_at IS NULL;

-- One row per changed field; rows of one user action share action_id so undo reverts the action whole.
-- old/new have no declared type so values keep their SQLite type and undo restores them exactly.
CREATE TABLE change_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id  TEXT NOT NULL,
    project_id TEXT,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    old,
    new,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    undone_at  TEXT
);
CREATE INDEX change_log_entity ON change_log(entity, entity_id);
CREATE INDEX change_log_project ON change_log(project_id, id);

CREATE TABLE draft (
    id         TEXT PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES project(id),
    form       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, form)
);
