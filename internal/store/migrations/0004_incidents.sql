-- Incident register (विपद् घटना) and its statistics.
--
-- Dates are stored as in every register (see 0003): date_bs as typed, date_ad
-- (sortable text) and fiscal_year (start year), all derived from the BS date.
-- Counts are whole numbers >= 0; estimated_loss is in paisa (integer, exact).
-- type is a key of the disaster_type list and ward a ward number; the
-- settings refuse to delete either while an incident uses it, and the
-- foreign keys below make that hold even for a change racing a delete.
CREATE TABLE incidents (
    id                             {{id}},
    date_bs                        TEXT NOT NULL,
    date_ad                        TEXT NOT NULL,
    fiscal_year                    INTEGER NOT NULL,
    time_of_day                    TEXT NOT NULL DEFAULT '',
    type_list                      TEXT NOT NULL DEFAULT 'disaster_type' CHECK (type_list = 'disaster_type'),
    type                           TEXT NOT NULL,
    ward                           INTEGER NOT NULL REFERENCES wards (number),
    tole                           TEXT NOT NULL DEFAULT '',
    latitude                       {{double}} CHECK (latitude BETWEEN -90 AND 90),
    longitude                      {{double}} CHECK (longitude BETWEEN -180 AND 180),
    description                    TEXT NOT NULL DEFAULT '',
    deaths                         INTEGER NOT NULL DEFAULT 0 CHECK (deaths >= 0),
    deaths_male                    INTEGER NOT NULL DEFAULT 0 CHECK (deaths_male >= 0),
    deaths_female                  INTEGER NOT NULL DEFAULT 0 CHECK (deaths_female >= 0),
    missing                        INTEGER NOT NULL DEFAULT 0 CHECK (missing >= 0),
    missing_male                   INTEGER NOT NULL DEFAULT 0 CHECK (missing_male >= 0),
    missing_female                 INTEGER NOT NULL DEFAULT 0 CHECK (missing_female >= 0),
    injured                        INTEGER NOT NULL DEFAULT 0 CHECK (injured >= 0),
    injured_male                   INTEGER NOT NULL DEFAULT 0 CHECK (injured_male >= 0),
    injured_female                 INTEGER NOT NULL DEFAULT 0 CHECK (injured_female >= 0),
    affected_people                INTEGER NOT NULL DEFAULT 0 CHECK (affected_people >= 0),
    affected_people_male           INTEGER NOT NULL DEFAULT 0 CHECK (affected_people_male >= 0),
    affected_people_female         INTEGER NOT NULL DEFAULT 0 CHECK (affected_people_female >= 0),
    affected_households            INTEGER NOT NULL DEFAULT 0 CHECK (affected_households >= 0),
    houses_damaged                 INTEGER NOT NULL DEFAULT 0 CHECK (houses_damaged >= 0),
    houses_destroyed               INTEGER NOT NULL DEFAULT 0 CHECK (houses_destroyed >= 0),
    public_buildings_damaged       INTEGER NOT NULL DEFAULT 0 CHECK (public_buildings_damaged >= 0),
    public_buildings_destroyed     INTEGER NOT NULL DEFAULT 0 CHECK (public_buildings_destroyed >= 0),
    livestock_lost_cattle          INTEGER NOT NULL DEFAULT 0 CHECK (livestock_lost_cattle >= 0),
    livestock_lost_goats_sheep     INTEGER NOT NULL DEFAULT 0 CHECK (livestock_lost_goats_sheep >= 0),
    livestock_lost_poultry         INTEGER NOT NULL DEFAULT 0 CHECK (livestock_lost_poultry >= 0),
    livestock_lost_other           INTEGER NOT NULL DEFAULT 0 CHECK (livestock_lost_other >= 0),
    livestock_injured_cattle       INTEGER NOT NULL DEFAULT 0 CHECK (livestock_injured_cattle >= 0),
    livestock_injured_goats_sheep  INTEGER NOT NULL DEFAULT 0 CHECK (livestock_injured_goats_sheep >= 0),
    livestock_injured_poultry      INTEGER NOT NULL DEFAULT 0 CHECK (livestock_injured_poultry >= 0),
    livestock_injured_other        INTEGER NOT NULL DEFAULT 0 CHECK (livestock_injured_other >= 0),
    agriculture_damage             TEXT NOT NULL DEFAULT '',
    road_blocked                   BOOLEAN NOT NULL DEFAULT FALSE,
    electricity_cut                BOOLEAN NOT NULL DEFAULT FALSE,
    communication_cut              BOOLEAN NOT NULL DEFAULT FALSE,
    water_disrupted                BOOLEAN NOT NULL DEFAULT FALSE,
    estimated_loss                 BIGINT NOT NULL DEFAULT 0 CHECK (estimated_loss >= 0),
    rescue_operations              TEXT NOT NULL DEFAULT '',
    locked                         BOOLEAN NOT NULL DEFAULT TRUE,
    version                        INTEGER NOT NULL DEFAULT 1,
    created_at                     {{timestamp}} NOT NULL,
    created_by                     TEXT NOT NULL,
    updated_at                     {{timestamp}} NOT NULL,
    updated_by                     TEXT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    FOREIGN KEY (type_list, type) REFERENCES list_values (list, key)
);
-- Every list filter matches the first column(s) of one index and every
-- list sorts by date, so a page of 50 is read off the index in order:
-- fiscal year (the usual filter), ward (ward secretaries), type, or none.
CREATE INDEX incidents_fy_date ON incidents (fiscal_year, date_ad, time_of_day, id);
CREATE INDEX incidents_ward_date ON incidents (ward, date_ad, time_of_day, id);
CREATE INDEX incidents_type_date ON incidents (type, date_ad, time_of_day, id);
CREATE INDEX incidents_date ON incidents (date_ad, time_of_day, id);
-- Statistics for a date range (which the sums below are not keyed by) read
-- every matching incident. On SQLite this index holds every figure, so they
-- are read in date order from the index alone instead of row by row from the
-- table; SQLite has no INCLUDE: the figures are trailing key columns.
-- PostgreSQL allows at most 32 columns in an index and reads those rows
-- through incidents_date instead.
-- @sqlite
CREATE INDEX incidents_date_figures ON incidents (
    date_ad, fiscal_year, ward, type, deaths, deaths_male, deaths_female, missing, missing_male,
    missing_female, injured, injured_male, injured_female, affected_people, affected_people_male,
    affected_people_female, affected_households, houses_damaged, houses_destroyed, public_buildings_damaged,
    public_buildings_destroyed, livestock_lost_cattle, livestock_lost_goats_sheep, livestock_lost_poultry,
    livestock_lost_other, livestock_injured_cattle, livestock_injured_goats_sheep, livestock_injured_poultry,
    livestock_injured_other, road_blocked, electricity_cut, communication_cut, water_disrupted, estimated_loss
);
-- @end

-- Sums of every figure per fiscal year x ward x type, kept up to date in the
-- same transaction as every insert, update and delete of an incident
-- (store/incidents.go). Statistics filtered by fiscal year, ward and type
-- read these few hundred rows instead of summing every incident; the store
-- tests recompute them from the incidents and compare. Flags hold the
-- number of incidents with that disruption; estimated_loss is in paisa.
CREATE TABLE incident_stats (
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
    PRIMARY KEY (fiscal_year, ward, type)
);
