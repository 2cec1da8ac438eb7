-- Relief items over all wards and types (issue 15): the item rows of 0007,
-- 0023 and 0024 are per fiscal year (day, month) x ward x type x item, about
-- 3,000 rows for the whole register and 10,000 for a one-year range at
-- 100,000 distributions, and an answer totals them per item only. These are
-- the same sums per fiscal year (day, month) x item, kept in the same
-- transaction (store/item_totals.go); an answer filtered by neither ward nor
-- type reads these, a few hundred rows.
CREATE TABLE distribution_item_totals (
    fiscal_year     INTEGER NOT NULL,
    item            TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (fiscal_year, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_item_totals (fiscal_year, item, quantity, distributions)
    SELECT d.fiscal_year, i.item, CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
    FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id
    GROUP BY d.fiscal_year, i.item;

CREATE TABLE distribution_day_item_totals (
    date_ad         TEXT NOT NULL,
    item            TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (date_ad, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_day_item_totals (date_ad, item, fiscal_year, quantity, distributions)
    SELECT d.date_ad, i.item, MIN(d.fiscal_year), CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
    FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id
    GROUP BY d.date_ad, i.item;

CREATE TABLE distribution_month_item_totals (
    month_ad        TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    item            TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (month_ad, fiscal_year, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_month_item_totals (month_ad, fiscal_year, item, quantity, distributions)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, item, CAST(SUM(quantity) AS BIGINT), CAST(SUM(distributions) AS BIGINT)
    FROM distribution_day_item_totals GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, item;

-- Incidents per fiscal year x ward and per fiscal year x type, kept in the
-- same transaction as incident_stats (store/incident_totals.go): the answer
-- filtered by neither ward nor type shows the sums by ward, by type and by
-- year, which these give from about 90 rows of 34 columns instead of the
-- 300-odd fiscal year x ward x type rows.
CREATE TABLE incident_ward_stats (
    fiscal_year                    INTEGER NOT NULL,
    ward                           INTEGER NOT NULL,
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
    PRIMARY KEY (fiscal_year, ward)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_ward_stats (fiscal_year, ward, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT fiscal_year, ward, CAST(SUM(incidents) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(deaths_male) AS BIGINT), CAST(SUM(deaths_female) AS BIGINT), CAST(SUM(missing) AS BIGINT), CAST(SUM(missing_male) AS BIGINT), CAST(SUM(missing_female) AS BIGINT), CAST(SUM(injured) AS BIGINT), CAST(SUM(injured_male) AS BIGINT), CAST(SUM(injured_female) AS BIGINT), CAST(SUM(affected_people) AS BIGINT), CAST(SUM(affected_people_male) AS BIGINT), CAST(SUM(affected_people_female) AS BIGINT), CAST(SUM(affected_households) AS BIGINT), CAST(SUM(houses_damaged) AS BIGINT), CAST(SUM(houses_destroyed) AS BIGINT), CAST(SUM(public_buildings_damaged) AS BIGINT), CAST(SUM(public_buildings_destroyed) AS BIGINT), CAST(SUM(livestock_lost_cattle) AS BIGINT), CAST(SUM(livestock_lost_goats_sheep) AS BIGINT), CAST(SUM(livestock_lost_poultry) AS BIGINT), CAST(SUM(livestock_lost_other) AS BIGINT), CAST(SUM(livestock_injured_cattle) AS BIGINT), CAST(SUM(livestock_injured_goats_sheep) AS BIGINT), CAST(SUM(livestock_injured_poultry) AS BIGINT), CAST(SUM(livestock_injured_other) AS BIGINT), CAST(SUM(road_blocked) AS BIGINT), CAST(SUM(electricity_cut) AS BIGINT), CAST(SUM(communication_cut) AS BIGINT), CAST(SUM(water_disrupted) AS BIGINT), CAST(SUM(estimated_loss) AS BIGINT)
    FROM incident_stats GROUP BY fiscal_year, ward;

CREATE TABLE incident_type_stats (
    fiscal_year                    INTEGER NOT NULL,
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
    PRIMARY KEY (fiscal_year, type)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_type_stats (fiscal_year, type, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT fiscal_year, type, CAST(SUM(incidents) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(deaths_male) AS BIGINT), CAST(SUM(deaths_female) AS BIGINT), CAST(SUM(missing) AS BIGINT), CAST(SUM(missing_male) AS BIGINT), CAST(SUM(missing_female) AS BIGINT), CAST(SUM(injured) AS BIGINT), CAST(SUM(injured_male) AS BIGINT), CAST(SUM(injured_female) AS BIGINT), CAST(SUM(affected_people) AS BIGINT), CAST(SUM(affected_people_male) AS BIGINT), CAST(SUM(affected_people_female) AS BIGINT), CAST(SUM(affected_households) AS BIGINT), CAST(SUM(houses_damaged) AS BIGINT), CAST(SUM(houses_destroyed) AS BIGINT), CAST(SUM(public_buildings_damaged) AS BIGINT), CAST(SUM(public_buildings_destroyed) AS BIGINT), CAST(SUM(livestock_lost_cattle) AS BIGINT), CAST(SUM(livestock_lost_goats_sheep) AS BIGINT), CAST(SUM(livestock_lost_poultry) AS BIGINT), CAST(SUM(livestock_lost_other) AS BIGINT), CAST(SUM(livestock_injured_cattle) AS BIGINT), CAST(SUM(livestock_injured_goats_sheep) AS BIGINT), CAST(SUM(livestock_injured_poultry) AS BIGINT), CAST(SUM(livestock_injured_other) AS BIGINT), CAST(SUM(road_blocked) AS BIGINT), CAST(SUM(electricity_cut) AS BIGINT), CAST(SUM(communication_cut) AS BIGINT), CAST(SUM(water_disrupted) AS BIGINT), CAST(SUM(estimated_loss) AS BIGINT)
    FROM incident_stats GROUP BY fiscal_year, type;

-- The same per day x ward, day x type (and their month twins): a date range
-- filtered by neither ward nor type reads these, about 2.5 times fewer rows
-- than the day x ward x type rows of 0023 and 0024.
CREATE TABLE incident_day_ward_stats (
    date_ad                        TEXT NOT NULL,
    ward                           INTEGER NOT NULL,
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
    PRIMARY KEY (date_ad, ward)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_day_ward_stats (date_ad, ward, fiscal_year, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT date_ad, ward, MIN(fiscal_year), CAST(SUM(incidents) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(deaths_male) AS BIGINT), CAST(SUM(deaths_female) AS BIGINT), CAST(SUM(missing) AS BIGINT), CAST(SUM(missing_male) AS BIGINT), CAST(SUM(missing_female) AS BIGINT), CAST(SUM(injured) AS BIGINT), CAST(SUM(injured_male) AS BIGINT), CAST(SUM(injured_female) AS BIGINT), CAST(SUM(affected_people) AS BIGINT), CAST(SUM(affected_people_male) AS BIGINT), CAST(SUM(affected_people_female) AS BIGINT), CAST(SUM(affected_households) AS BIGINT), CAST(SUM(houses_damaged) AS BIGINT), CAST(SUM(houses_destroyed) AS BIGINT), CAST(SUM(public_buildings_damaged) AS BIGINT), CAST(SUM(public_buildings_destroyed) AS BIGINT), CAST(SUM(livestock_lost_cattle) AS BIGINT), CAST(SUM(livestock_lost_goats_sheep) AS BIGINT), CAST(SUM(livestock_lost_poultry) AS BIGINT), CAST(SUM(livestock_lost_other) AS BIGINT), CAST(SUM(livestock_injured_cattle) AS BIGINT), CAST(SUM(livestock_injured_goats_sheep) AS BIGINT), CAST(SUM(livestock_injured_poultry) AS BIGINT), CAST(SUM(livestock_injured_other) AS BIGINT), CAST(SUM(road_blocked) AS BIGINT), CAST(SUM(electricity_cut) AS BIGINT), CAST(SUM(communication_cut) AS BIGINT), CAST(SUM(water_disrupted) AS BIGINT), CAST(SUM(estimated_loss) AS BIGINT)
    FROM incident_day_stats GROUP BY date_ad, ward;

CREATE TABLE incident_month_ward_stats (
    month_ad                       TEXT NOT NULL,
    fiscal_year                    INTEGER NOT NULL,
    ward                           INTEGER NOT NULL,
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
    PRIMARY KEY (month_ad, fiscal_year, ward)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_month_ward_stats (month_ad, fiscal_year, ward, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT month_ad, fiscal_year, ward, CAST(SUM(incidents) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(deaths_male) AS BIGINT), CAST(SUM(deaths_female) AS BIGINT), CAST(SUM(missing) AS BIGINT), CAST(SUM(missing_male) AS BIGINT), CAST(SUM(missing_female) AS BIGINT), CAST(SUM(injured) AS BIGINT), CAST(SUM(injured_male) AS BIGINT), CAST(SUM(injured_female) AS BIGINT), CAST(SUM(affected_people) AS BIGINT), CAST(SUM(affected_people_male) AS BIGINT), CAST(SUM(affected_people_female) AS BIGINT), CAST(SUM(affected_households) AS BIGINT), CAST(SUM(houses_damaged) AS BIGINT), CAST(SUM(houses_destroyed) AS BIGINT), CAST(SUM(public_buildings_damaged) AS BIGINT), CAST(SUM(public_buildings_destroyed) AS BIGINT), CAST(SUM(livestock_lost_cattle) AS BIGINT), CAST(SUM(livestock_lost_goats_sheep) AS BIGINT), CAST(SUM(livestock_lost_poultry) AS BIGINT), CAST(SUM(livestock_lost_other) AS BIGINT), CAST(SUM(livestock_injured_cattle) AS BIGINT), CAST(SUM(livestock_injured_goats_sheep) AS BIGINT), CAST(SUM(livestock_injured_poultry) AS BIGINT), CAST(SUM(livestock_injured_other) AS BIGINT), CAST(SUM(road_blocked) AS BIGINT), CAST(SUM(electricity_cut) AS BIGINT), CAST(SUM(communication_cut) AS BIGINT), CAST(SUM(water_disrupted) AS BIGINT), CAST(SUM(estimated_loss) AS BIGINT)
    FROM incident_month_stats GROUP BY month_ad, fiscal_year, ward;

CREATE TABLE incident_day_type_stats (
    date_ad                        TEXT NOT NULL,
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
    PRIMARY KEY (date_ad, type)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_day_type_stats (date_ad, type, fiscal_year, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT date_ad, type, MIN(fiscal_year), CAST(SUM(incidents) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(deaths_male) AS BIGINT), CAST(SUM(deaths_female) AS BIGINT), CAST(SUM(missing) AS BIGINT), CAST(SUM(missing_male) AS BIGINT), CAST(SUM(missing_female) AS BIGINT), CAST(SUM(injured) AS BIGINT), CAST(SUM(injured_male) AS BIGINT), CAST(SUM(injured_female) AS BIGINT), CAST(SUM(affected_people) AS BIGINT), CAST(SUM(affected_people_male) AS BIGINT), CAST(SUM(affected_people_female) AS BIGINT), CAST(SUM(affected_households) AS BIGINT), CAST(SUM(houses_damaged) AS BIGINT), CAST(SUM(houses_destroyed) AS BIGINT), CAST(SUM(public_buildings_damaged) AS BIGINT), CAST(SUM(public_buildings_destroyed) AS BIGINT), CAST(SUM(livestock_lost_cattle) AS BIGINT), CAST(SUM(livestock_lost_goats_sheep) AS BIGINT), CAST(SUM(livestock_lost_poultry) AS BIGINT), CAST(SUM(livestock_lost_other) AS BIGINT), CAST(SUM(livestock_injured_cattle) AS BIGINT), CAST(SUM(livestock_injured_goats_sheep) AS BIGINT), CAST(SUM(livestock_injured_poultry) AS BIGINT), CAST(SUM(livestock_injured_other) AS BIGINT), CAST(SUM(road_blocked) AS BIGINT), CAST(SUM(electricity_cut) AS BIGINT), CAST(SUM(communication_cut) AS BIGINT), CAST(SUM(water_disrupted) AS BIGINT), CAST(SUM(estimated_loss) AS BIGINT)
    FROM incident_day_stats GROUP BY date_ad, type;

CREATE TABLE incident_month_type_stats (
    month_ad                       TEXT NOT NULL,
    fiscal_year                    INTEGER NOT NULL,
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
    PRIMARY KEY (month_ad, fiscal_year, type)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO incident_month_type_stats (month_ad, fiscal_year, type, incidents, deaths, deaths_male, deaths_female, missing, missing_male, missing_female, injured, injured_male, injured_female, affected_people, affected_people_male, affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged, public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry, livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry, livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss)
    SELECT month_ad, fiscal_year, type, CAST(SUM(incidents) AS BIGINT), CAST(SUM(deaths) AS BIGINT), CAST(SUM(deaths_male) AS BIGINT), CAST(SUM(deaths_female) AS BIGINT), CAST(SUM(missing) AS BIGINT), CAST(SUM(missing_male) AS BIGINT), CAST(SUM(missing_female) AS BIGINT), CAST(SUM(injured) AS BIGINT), CAST(SUM(injured_male) AS BIGINT), CAST(SUM(injured_female) AS BIGINT), CAST(SUM(affected_people) AS BIGINT), CAST(SUM(affected_people_male) AS BIGINT), CAST(SUM(affected_people_female) AS BIGINT), CAST(SUM(affected_households) AS BIGINT), CAST(SUM(houses_damaged) AS BIGINT), CAST(SUM(houses_destroyed) AS BIGINT), CAST(SUM(public_buildings_damaged) AS BIGINT), CAST(SUM(public_buildings_destroyed) AS BIGINT), CAST(SUM(livestock_lost_cattle) AS BIGINT), CAST(SUM(livestock_lost_goats_sheep) AS BIGINT), CAST(SUM(livestock_lost_poultry) AS BIGINT), CAST(SUM(livestock_lost_other) AS BIGINT), CAST(SUM(livestock_injured_cattle) AS BIGINT), CAST(SUM(livestock_injured_goats_sheep) AS BIGINT), CAST(SUM(livestock_injured_poultry) AS BIGINT), CAST(SUM(livestock_injured_other) AS BIGINT), CAST(SUM(road_blocked) AS BIGINT), CAST(SUM(electricity_cut) AS BIGINT), CAST(SUM(communication_cut) AS BIGINT), CAST(SUM(water_disrupted) AS BIGINT), CAST(SUM(estimated_loss) AS BIGINT)
    FROM incident_month_stats GROUP BY month_ad, fiscal_year, type;
