-- Month-grain statistics (issue 15): the day rows of 0023 summed per AD
-- month (month_ad = 'YYYY-MM') x fiscal year x ward x type, kept in the same
-- transaction as the day rows (store/day_stats.go). A date range reads the
-- whole months inside it from these and only the days at its two ends from
-- the day rows: a one-year range is about a dozen month rows per ward and
-- type instead of 365 day rows. fiscal_year is in the key because an AD
-- month holds the first days of a fiscal year (1 Shrawan) and the last of
-- the one before.
CREATE TABLE incident_month_stats (
    month_ad                       TEXT NOT NULL,
    fiscal_year                    INTEGER NOT NULL,
    ward                           INTEGER NOT NULL,
    type                           TEXT NOT NULL,
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
    PRIMARY KEY (month_ad, fiscal_year, ward, type)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_month_stats (month_ad, fiscal_year, ward, type, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, ward, type, CAST(SUM(incidents) AS BIGINT),
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
    CAST(SUM(road_blocked) AS BIGINT),
    CAST(SUM(electricity_cut) AS BIGINT),
    CAST(SUM(communication_cut) AS BIGINT),
    CAST(SUM(water_disrupted) AS BIGINT),
    CAST(SUM(estimated_loss) AS BIGINT)
    FROM incident_day_stats GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, ward, type;

CREATE TABLE distribution_month_stats (
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
INSERT INTO distribution_month_stats (month_ad, fiscal_year, ward, disaster_type, distributions, members, male, female, children, pregnant, infant_mothers, deaths, cash)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, CAST(SUM(distributions) AS BIGINT), CAST(SUM(members) AS BIGINT), CAST(SUM(male) AS BIGINT), CAST(SUM(female) AS BIGINT), CAST(SUM(children) AS BIGINT), CAST(SUM(pregnant) AS BIGINT), CAST(SUM(infant_mothers) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(cash) AS BIGINT)
    FROM distribution_day_stats GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type;

CREATE TABLE distribution_month_item_stats (
    month_ad        TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    item            TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (month_ad, fiscal_year, ward, disaster_type, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_month_item_stats (month_ad, fiscal_year, ward, disaster_type, item, quantity, distributions)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, item, CAST(SUM(quantity) AS BIGINT), CAST(SUM(distributions) AS BIGINT)
    FROM distribution_day_item_stats GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, item;

-- The household days of 0023 counted per month; the condition of a range
-- (prev_date before its first day) is the same for every day of a month.
CREATE TABLE distribution_month_household_counts (
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
INSERT INTO distribution_month_household_counts (month_ad, fiscal_year, ward, disaster_type, prev_date, households)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, prev_date, CAST(SUM(households) AS BIGINT)
    FROM distribution_day_household_counts GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, ward, disaster_type, prev_date;
