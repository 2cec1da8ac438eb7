-- Distributions per day x ward and per day x type, and their month twins
-- (issue 15): a date range filtered by neither ward nor type shows only the
-- sums by ward, by type and by fiscal year, and summing the day and month
-- cells of 0023/0024 (ward x type, about 2,800 rows for a one-year range at
-- 1,000,000 distributions) and as many household counts was most of its
-- CPU; these give the same answer from about 800 rows each. One table holds
-- both kinds of row: a ward's (ward, disaster_type = '') and a type's
-- (ward = 0, disaster_type), so a write moves both in one statement
-- (store/distribution_groups.go). fiscal_year is the day's. The rows are
-- inserted in key order, so on PostgreSQL a range's rows also lie together
-- in the heap.
CREATE TABLE distribution_day_group_stats (
    date_ad         TEXT NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    distributions   BIGINT NOT NULL,
    members         BIGINT NOT NULL,
    male            BIGINT NOT NULL,
    female          BIGINT NOT NULL,
    children        BIGINT NOT NULL,
    pregnant        BIGINT NOT NULL,
    infant_mothers  BIGINT NOT NULL,
    deaths          BIGINT NOT NULL,
    cash            BIGINT NOT NULL,
    PRIMARY KEY (date_ad, ward, disaster_type)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_day_group_stats (date_ad, ward, disaster_type, fiscal_year, distributions, members, male, female,
    children, pregnant, infant_mothers, deaths, cash)
    SELECT date_ad, ward, '', MIN(fiscal_year), CAST(SUM(distributions) AS BIGINT), CAST(SUM(members) AS BIGINT),
    CAST(SUM(male) AS BIGINT), CAST(SUM(female) AS BIGINT), CAST(SUM(children) AS BIGINT), CAST(SUM(pregnant) AS BIGINT),
    CAST(SUM(infant_mothers) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(cash) AS BIGINT)
    FROM distribution_day_stats GROUP BY date_ad, ward
    UNION ALL
    SELECT date_ad, 0, disaster_type, MIN(fiscal_year), CAST(SUM(distributions) AS BIGINT), CAST(SUM(members) AS BIGINT),
    CAST(SUM(male) AS BIGINT), CAST(SUM(female) AS BIGINT), CAST(SUM(children) AS BIGINT), CAST(SUM(pregnant) AS BIGINT),
    CAST(SUM(infant_mothers) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(cash) AS BIGINT)
    FROM distribution_day_stats GROUP BY date_ad, disaster_type
    ORDER BY 1, 2, 3;

CREATE TABLE distribution_month_group_stats (
    month_ad        TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    distributions   BIGINT NOT NULL,
    members         BIGINT NOT NULL,
    male            BIGINT NOT NULL,
    female          BIGINT NOT NULL,
    children        BIGINT NOT NULL,
    pregnant        BIGINT NOT NULL,
    infant_mothers  BIGINT NOT NULL,
    deaths          BIGINT NOT NULL,
    cash            BIGINT NOT NULL,
    PRIMARY KEY (month_ad, fiscal_year, ward, disaster_type)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_month_group_stats (month_ad, fiscal_year, ward, disaster_type, distributions, members, male, female,
    children, pregnant, infant_mothers, deaths, cash)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, CAST(SUM(distributions) AS BIGINT), CAST(SUM(members) AS BIGINT),
    CAST(SUM(male) AS BIGINT), CAST(SUM(female) AS BIGINT), CAST(SUM(children) AS BIGINT), CAST(SUM(pregnant) AS BIGINT),
    CAST(SUM(infant_mothers) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(cash) AS BIGINT)
    FROM distribution_day_group_stats GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type;

-- The household counts of 0023/0024 (first household days per day x ward x
-- type x prev_date) summed the same way: an answer's households are the
-- sum of its cells' distinct households, so a ward's are the sum over its
-- types' rows with the range's condition on prev_date, and a type's over
-- its wards'.
CREATE TABLE distribution_day_group_households (
    date_ad         TEXT NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    prev_date       TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    households      BIGINT NOT NULL,
    PRIMARY KEY (date_ad, ward, disaster_type, prev_date)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_day_group_households (date_ad, ward, disaster_type, prev_date, fiscal_year, households)
    SELECT date_ad, ward, '', prev_date, MIN(fiscal_year), CAST(SUM(households) AS BIGINT)
    FROM distribution_day_household_counts GROUP BY date_ad, ward, prev_date
    UNION ALL
    SELECT date_ad, 0, disaster_type, prev_date, MIN(fiscal_year), CAST(SUM(households) AS BIGINT)
    FROM distribution_day_household_counts GROUP BY date_ad, disaster_type, prev_date
    ORDER BY 1, 2, 3, 4;

CREATE TABLE distribution_month_group_households (
    month_ad        TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    prev_date       TEXT NOT NULL,
    households      BIGINT NOT NULL,
    PRIMARY KEY (month_ad, fiscal_year, ward, disaster_type, prev_date)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_month_group_households (month_ad, fiscal_year, ward, disaster_type, prev_date, households)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, prev_date, CAST(SUM(households) AS BIGINT)
    FROM distribution_day_group_households GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, prev_date;

-- Planned from real counts at once (PostgreSQL otherwise guesses until
-- autovacuum comes by).
ANALYZE distribution_day_group_stats;
ANALYZE distribution_month_group_stats;
ANALYZE distribution_day_group_households;
ANALYZE distribution_month_group_households;
