-- Situation reports (स्थिति प्रतिवेदन). Dates as in event_logs: date_bs as
-- typed, date_ad (sortable text) and fiscal_year derived from it at write
-- time. The next update is a BS date and an optional time in Nepal, both ''
-- when no next report was announced.
CREATE TABLE situation_reports (
    id                  {{id}},
    date_bs             TEXT NOT NULL,
    date_ad             TEXT NOT NULL,
    fiscal_year         INTEGER NOT NULL,
    time_of_day         TEXT NOT NULL DEFAULT '',
    summary             TEXT NOT NULL,
    weather             TEXT NOT NULL DEFAULT '',
    detailed_report     TEXT NOT NULL DEFAULT '',
    resources_deployed  TEXT NOT NULL DEFAULT '',
    next_update_bs      TEXT NOT NULL DEFAULT '',
    next_update_time    TEXT NOT NULL DEFAULT '',
    locked              BOOLEAN NOT NULL DEFAULT TRUE,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          {{timestamp}} NOT NULL,
    created_by          TEXT NOT NULL,
    updated_at          {{timestamp}} NOT NULL,
    updated_by          TEXT NOT NULL
);
-- Lists are filtered by fiscal year and sorted newest first; the bulletin
-- reads the latest report (date, then time of day).
CREATE INDEX situation_reports_fy_date ON situation_reports (fiscal_year, date_ad DESC, id DESC);
CREATE INDEX situation_reports_latest ON situation_reports (date_ad DESC, time_of_day DESC, id DESC);
