-- Operations log (घटना लग). Dates are stored three ways, all derived from
-- the BS date at write time: date_bs as typed ("2082-10-15"), date_ad
-- ("2026-01-29", sortable text on both databases) and fiscal_year (its
-- start year, 2082 for 2082/83).
CREATE TABLE event_logs (
    id                {{id}},
    date_bs           TEXT NOT NULL,
    date_ad           TEXT NOT NULL,
    fiscal_year       INTEGER NOT NULL,
    time_of_day       TEXT NOT NULL DEFAULT '',
    type              TEXT NOT NULL,
    description       TEXT NOT NULL,
    location          TEXT NOT NULL DEFAULT '',
    responsible_unit  TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL,
    incident_id       {{bigint}},
    locked            BOOLEAN NOT NULL DEFAULT TRUE,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        {{timestamp}} NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    updated_by        TEXT NOT NULL
);
-- Lists are filtered by fiscal year and sorted newest first.
CREATE INDEX event_logs_fy_date ON event_logs (fiscal_year, date_ad DESC, id DESC);
CREATE INDEX event_logs_date ON event_logs (date_ad DESC, id DESC);
CREATE INDEX event_logs_incident ON event_logs (incident_id);
