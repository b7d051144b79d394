-- elicit schema v4: settings of this database file (for example whether daily copies are kept beside it).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY NOT NULL CHECK (key <> ''),
    value TEXT NOT NULL
);
