-- One household key (leoc.HouseholdKey) for every register that names a
-- household. The keys stored by earlier versions (distributions.household_key
-- and dup_key, distribution_households, beneficiaries.id_key and the search
-- columns) were computed by two older, weaker rules; SQL cannot recompute
-- them, so a Go step (store/household_keys.go, run by Migrate right after the
-- SQL migrations, on serve, migrate and every other command) does, once.
--
-- data_migrations records such Go steps by name, so each runs exactly once.
CREATE TABLE data_migrations (
    name        TEXT PRIMARY KEY,
    applied_at  {{timestamp}} NOT NULL,
    summary     TEXT NOT NULL DEFAULT ''
);

-- Records that the new key shows to be the same household as another record
-- of the same register (and, for distributions, the same disaster), found
-- when the keys were recomputed. They are reported, never merged: the record
-- keeps its old duplicate key (kept_key) until a person resolves it, and
-- each one is also in the audit trail (household_key.collision).
CREATE TABLE household_key_collisions (
    id             {{id}},
    register       TEXT NOT NULL CHECK (register IN ('distributions', 'beneficiaries')),
    record_id      BIGINT NOT NULL,
    other_id       BIGINT NOT NULL,
    household_id   TEXT NOT NULL,
    household_key  TEXT NOT NULL,
    kept_key       TEXT NOT NULL,
    detected_at    {{timestamp}} NOT NULL
);
CREATE INDEX household_key_collisions_record ON household_key_collisions (register, record_id);
