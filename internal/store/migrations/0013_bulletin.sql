-- Sit-rep numbers of the daily bulletin (दैनिक विपद् बुलेटिन). The first time
-- a day's bulletin is produced it takes the next number of its fiscal year;
-- producing the same day again finds its row here and keeps the number. The
-- two unique keys make a duplicate number or a second number for a day
-- impossible whatever the application does; the store also serialises the
-- issuing so that concurrent requests leave no gap.
CREATE TABLE sitrep_numbers (
    fiscal_year  INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    day_bs       TEXT NOT NULL,
    day_ad       TEXT NOT NULL UNIQUE,
    issued_at    {{timestamp}} NOT NULL,
    issued_by    TEXT NOT NULL,
    PRIMARY KEY (fiscal_year, number)
);

-- Situation reports that fill themselves: the figures of the report's day
-- computed from the registers and frozen as JSON when the report is saved
-- ('' for reports saved before).
ALTER TABLE situation_reports ADD COLUMN figures TEXT NOT NULL DEFAULT '';
