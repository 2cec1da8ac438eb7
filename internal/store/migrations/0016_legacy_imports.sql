-- Rows imported from the old Flask LEOC database (leoc import-legacy): one
-- row per legacy row, so running the import again creates nothing twice and
-- every imported record can be traced back to the table and id it came from.
-- legacy_id is text because some legacy rows are keyed by value (a settings
-- list entry, a bulletin day), not by number. record_id is the new record's
-- id in register (0 when the row became no record of its own).
CREATE TABLE legacy_imports (
    legacy_table  TEXT NOT NULL,
    legacy_id     TEXT NOT NULL,
    register      TEXT NOT NULL,
    record_id     BIGINT NOT NULL,
    imported_at   {{timestamp}} NOT NULL,
    PRIMARY KEY (legacy_table, legacy_id)
);
