-- A newer official BS month-length table imported by `leoc calendar import`,
-- laid over the table built into the binary. One row; absent = built-in only.
CREATE TABLE calendar_table (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    body         TEXT NOT NULL,
    imported_at  {{timestamp}} NOT NULL,
    imported_by  TEXT NOT NULL
);
