-- Day-grain statistics (issue 15): the sums per day x ward x type beside the
-- per-fiscal-year ones, kept in the same transaction as every write
-- (store/incident_stats.go, store/day_stats.go), so a date range is answered
-- from the day rows of that range instead of summing every record in it.
-- fiscal_year is the day's fiscal year (a function of date_ad), kept so the
-- answer can still be grouped by fiscal year. On SQLite the tables are
-- WITHOUT ROWID, so the rows of a date range lie together in key order
-- instead of each being looked up from the key's index.
CREATE TABLE incident_day_stats (
    date_ad                        TEXT NOT NULL,
    ward                           INTEGER NOT NULL,
    type                           TEXT NOT NULL,
    fiscal_year                    INTEGER NOT NULL,
    incidents                      BIGINT NOT NULL,
    deaths                         BIGINT NOT NULL,
    deaths_male                    BIGINT NOT NULL,
    deaths_female                  BIGINT NOT NULL,
    missing                        BIGINT NOT NULL,
    missing_male                   BIGINT NOT NULL,
    missing_female                 BIGINT NOT NULL,
    injured                        BIGINT NOT NULL,
    injured_male                   BIGINT NOT NULL,
    injured_female                 BIGINT NOT NULL,
    affected_people                BIGINT NOT NULL,
    affected_people_male           BIGINT NOT NULL,
    affected_people_female         BIGINT NOT NULL,
    affected_households            BIGINT NOT NULL,
    houses_damaged                 BIGINT NOT NULL,
    houses_destroyed               BIGINT NOT NULL,
    public_buildings_damaged       BIGINT NOT NULL,
    public_buildings_destroyed     BIGINT NOT NULL,
    livestock_lost_cattle          BIGINT NOT NULL,
    livestock_lost_goats_sheep     BIGINT NOT NULL,
    livestock_lost_poultry         BIGINT NOT NULL,
    livestock_lost_other           BIGINT NOT NULL,
    livestock_injured_cattle       BIGINT NOT NULL,
    livestock_injured_goats_sheep  BIGINT NOT NULL,
    livestock_injured_poultry      BIGINT NOT NULL,
    livestock_injured_other        BIGINT NOT NULL,
    road_blocked                   BIGINT NOT NULL,
    electricity_cut                BIGINT NOT NULL,
    communication_cut              BIGINT NOT NULL,
    water_disrupted                BIGINT NOT NULL,
    estimated_loss                 BIGINT NOT NULL,
    PRIMARY KEY (date_ad, ward, type)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_day_stats (date_ad, ward, type, fiscal_year, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT date_ad, ward, type, MIN(fiscal_year), COUNT(*),
    CAST(SUM(deaths) AS BIGINT),
    CAST(SUM(deaths_male) AS BIGINT),
    CAST(SUM(deaths_female) AS BIGINT),
    CAST(SUM(missing) AS BIGINT),
    CAST(SUM(missing_male) AS BIGINT),
    CAST(SUM(missing_female) AS BIGINT),
    CAST(SUM(injured) AS BIGINT),
    CAST(SUM(injured_male) AS BIGINT),
    CAST(SUM(injured_female) AS BIGINT),
    CAST(SUM(affected_people) AS BIGINT),
    CAST(SUM(affected_people_male) AS BIGINT),
    CAST(SUM(affected_people_female) AS BIGINT),
    CAST(SUM(affected_households) AS BIGINT),
    CAST(SUM(houses_damaged) AS BIGINT),
    CAST(SUM(houses_destroyed) AS BIGINT),
    CAST(SUM(public_buildings_damaged) AS BIGINT),
    CAST(SUM(public_buildings_destroyed) AS BIGINT),
    CAST(SUM(livestock_lost_cattle) AS BIGINT),
    CAST(SUM(livestock_lost_goats_sheep) AS BIGINT),
    CAST(SUM(livestock_lost_poultry) AS BIGINT),
    CAST(SUM(livestock_lost_other) AS BIGINT),
    CAST(SUM(livestock_injured_cattle) AS BIGINT),
    CAST(SUM(livestock_injured_goats_sheep) AS BIGINT),
    CAST(SUM(livestock_injured_poultry) AS BIGINT),
    CAST(SUM(livestock_injured_other) AS BIGINT),
    CAST(SUM(CASE WHEN road_blocked THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN electricity_cut THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN communication_cut THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN water_disrupted THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(estimated_loss) AS BIGINT)
    FROM incidents GROUP BY date_ad, ward, type;

CREATE TABLE distribution_day_stats (
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
INSERT INTO distribution_day_stats (date_ad, ward, disaster_type, fiscal_year, distributions, members, male, female,
    children, pregnant, infant_mothers, deaths, cash)
    SELECT date_ad, ward, disaster_type, MIN(fiscal_year), COUNT(*), CAST(SUM(members_count) AS BIGINT),
    CAST(SUM(male) AS BIGINT), CAST(SUM(female) AS BIGINT), CAST(SUM(children) AS BIGINT), CAST(SUM(pregnant) AS BIGINT),
    CAST(SUM(infant_mothers) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(cash) AS BIGINT)
    FROM distributions GROUP BY date_ad, ward, disaster_type;

CREATE TABLE distribution_day_item_stats (
    date_ad         TEXT NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    item            TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (date_ad, ward, disaster_type, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_day_item_stats (date_ad, ward, disaster_type, item, fiscal_year, quantity, distributions)
    SELECT d.date_ad, d.ward, d.disaster_type, i.item, MIN(d.fiscal_year), CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
    FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id
    GROUP BY d.date_ad, d.ward, d.disaster_type, i.item;

-- Distinct households do not add across days. The households of a range
-- are counted at each household's first day in the range: one row per
-- household per day it was helped in a cell (fiscal year x ward x type),
-- with prev_date, the household's previous day in the same cell ('' for
-- none); a household has exactly one day in [from, to] whose prev_date is
-- before from (or '' when there is no from). distribution_day_household_counts
-- counts those rows per day x ward x type x prev_date, so a range sums
-- SUM(households) WHERE date_ad BETWEEN from AND to AND prev_date < from.
CREATE TABLE distribution_day_households (
    fiscal_year     INTEGER NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    household_key   TEXT NOT NULL,
    date_ad         TEXT NOT NULL,
    distributions   BIGINT NOT NULL,
    prev_date       TEXT NOT NULL,
    PRIMARY KEY (fiscal_year, ward, disaster_type, household_key, date_ad)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_day_households (fiscal_year, ward, disaster_type, household_key, date_ad, distributions, prev_date)
    SELECT fiscal_year, ward, disaster_type, household_key, date_ad, n,
    COALESCE(LAG(date_ad) OVER (PARTITION BY fiscal_year, ward, disaster_type, household_key ORDER BY date_ad), '')
    FROM (SELECT fiscal_year, ward, disaster_type, household_key, date_ad, COUNT(*) AS n FROM distributions
        GROUP BY fiscal_year, ward, disaster_type, household_key, date_ad) g;
CREATE TABLE distribution_day_household_counts (
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
INSERT INTO distribution_day_household_counts (date_ad, ward, disaster_type, prev_date, fiscal_year, households)
    SELECT date_ad, ward, disaster_type, prev_date, MIN(fiscal_year), COUNT(*) FROM distribution_day_households
    GROUP BY date_ad, ward, disaster_type, prev_date;
