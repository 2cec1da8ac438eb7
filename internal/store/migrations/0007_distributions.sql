-- Relief distributions (राहत वितरण), their statistics, and the relief fund
-- ledger (राहत कोष).
--
-- One row per household and disaster. Members, harms and relief items are
-- child rows, replaced wholesale when the distribution is saved. Money is in
-- paisa (integer, exact). date_bs/date_ad/fiscal_year are the distribution
-- date; disaster_type and disaster_date_* are the incident's when linked.
--
-- Duplicate protection: dup_key is scope_key ("i:<incident>" or
-- "t:<type>:<date>") + "|" + the normalised household id, and is unique; it is
-- NULL for a distribution an authorised user recorded again on purpose (with
-- override_reason). The unique index holds under concurrency on both
-- databases, where a check-then-insert would not.
CREATE TABLE distributions (
    id                   {{id}},
    household_name       TEXT NOT NULL,
    household_id         TEXT NOT NULL,
    household_key        TEXT NOT NULL,
    father_name          TEXT NOT NULL DEFAULT '',
    father_key           TEXT NOT NULL DEFAULT '',
    name_key             TEXT NOT NULL DEFAULT '',
    phone                TEXT NOT NULL DEFAULT '',
    search_text          TEXT NOT NULL DEFAULT '',
    incident_id          {{bigint}} REFERENCES incidents (id) ON DELETE SET NULL,
    type_list            TEXT NOT NULL DEFAULT 'disaster_type' CHECK (type_list = 'disaster_type'),
    disaster_type        TEXT NOT NULL,
    disaster_date_bs     TEXT NOT NULL DEFAULT '',
    scope_key            TEXT NOT NULL,
    dup_key              TEXT UNIQUE,
    override_reason      TEXT NOT NULL DEFAULT '',
    date_bs              TEXT NOT NULL,
    date_ad              TEXT NOT NULL,
    fiscal_year          INTEGER NOT NULL,
    ward                 INTEGER NOT NULL REFERENCES wards (number),
    tole                 TEXT NOT NULL DEFAULT '',
    place                TEXT NOT NULL DEFAULT '',
    latitude             {{double}} CHECK (latitude BETWEEN -90 AND 90),
    longitude            {{double}} CHECK (longitude BETWEEN -180 AND 180),
    shelter              TEXT NOT NULL DEFAULT '',
    members_count        INTEGER NOT NULL DEFAULT 0 CHECK (members_count >= 0),
    male                 INTEGER NOT NULL DEFAULT 0 CHECK (male >= 0),
    female               INTEGER NOT NULL DEFAULT 0 CHECK (female >= 0),
    children             INTEGER NOT NULL DEFAULT 0 CHECK (children >= 0),
    pregnant             INTEGER NOT NULL DEFAULT 0 CHECK (pregnant >= 0),
    infant_mothers       INTEGER NOT NULL DEFAULT 0 CHECK (infant_mothers >= 0),
    deaths               INTEGER NOT NULL DEFAULT 0 CHECK (deaths >= 0),
    ssf_enrolled         BOOLEAN NOT NULL DEFAULT FALSE,
    allowance_list       TEXT NOT NULL DEFAULT 'allowance_type' CHECK (allowance_list = 'allowance_type'),
    allowance_type       TEXT,
    poverty_card         BOOLEAN NOT NULL DEFAULT FALSE,
    bank_holder          TEXT NOT NULL DEFAULT '',
    bank_account         TEXT NOT NULL DEFAULT '',
    bank_name            TEXT NOT NULL DEFAULT '',
    cash                 BIGINT NOT NULL DEFAULT 0 CHECK (cash >= 0),
    status               TEXT NOT NULL CHECK (status IN ('distributed', 'partial', 'pending')),
    notes                TEXT NOT NULL DEFAULT '',
    locked               BOOLEAN NOT NULL DEFAULT TRUE,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           {{timestamp}} NOT NULL,
    created_by           TEXT NOT NULL,
    updated_at           {{timestamp}} NOT NULL,
    updated_by           TEXT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK ((dup_key IS NULL) = (override_reason <> '')),
    FOREIGN KEY (type_list, disaster_type) REFERENCES list_values (list, key),
    FOREIGN KEY (allowance_list, allowance_type) REFERENCES list_values (list, key)
);
-- Every list filter matches the first column of one index and sorts by date.
CREATE INDEX distributions_fy_date ON distributions (fiscal_year, date_ad, id);
CREATE INDEX distributions_ward_date ON distributions (ward, date_ad, id);
CREATE INDEX distributions_type_date ON distributions (disaster_type, date_ad, id);
CREATE INDEX distributions_date ON distributions (date_ad, id);
CREATE INDEX distributions_incident ON distributions (incident_id, date_ad, id);
-- The warnings (same phone, or same name and father's name, for the same disaster).
CREATE INDEX distributions_scope ON distributions (scope_key, phone);
CREATE INDEX distributions_scope_name ON distributions (scope_key, name_key, father_key);

CREATE TABLE distribution_members (
    distribution_id  {{bigint}} NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    relation         TEXT NOT NULL DEFAULT '',
    age              INTEGER NOT NULL CHECK (age BETWEEN 0 AND 130),
    sex              TEXT NOT NULL CHECK (sex IN ('male', 'female', 'other')),
    PRIMARY KEY (distribution_id, position)
);

CREATE TABLE distribution_harms (
    distribution_id  {{bigint}} NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    member           TEXT NOT NULL,
    harm             TEXT NOT NULL,
    severity         TEXT NOT NULL CHECK (severity IN ('minor', 'serious', 'critical')),
    PRIMARY KEY (distribution_id, position)
);

CREATE TABLE distribution_items (
    distribution_id  {{bigint}} NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    item_list        TEXT NOT NULL DEFAULT 'relief_item' CHECK (item_list = 'relief_item'),
    item             TEXT NOT NULL,
    quantity         BIGINT NOT NULL CHECK (quantity >= 1),
    unit             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (distribution_id, position),
    FOREIGN KEY (item_list, item) REFERENCES list_values (list, key)
);
CREATE INDEX distribution_items_item ON distribution_items (item);

-- Sums per fiscal year x ward x disaster type, kept in the same transaction
-- as every write of a distribution (store/distribution_stats.go); the store
-- tests recompute them from the distributions and compare. households is
-- the number of distinct households of the cell (distribution_households).
CREATE TABLE distribution_stats (
    fiscal_year     INTEGER NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    distributions   BIGINT NOT NULL,
    households      BIGINT NOT NULL,
    members         BIGINT NOT NULL,
    male            BIGINT NOT NULL,
    female          BIGINT NOT NULL,
    children        BIGINT NOT NULL,
    pregnant        BIGINT NOT NULL,
    infant_mothers  BIGINT NOT NULL,
    deaths          BIGINT NOT NULL,
    cash            BIGINT NOT NULL,
    PRIMARY KEY (fiscal_year, ward, disaster_type)
);
CREATE TABLE distribution_households (
    fiscal_year     INTEGER NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    household_key   TEXT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (fiscal_year, ward, disaster_type, household_key)
);
CREATE TABLE distribution_item_stats (
    fiscal_year     INTEGER NOT NULL,
    ward            INTEGER NOT NULL,
    disaster_type   TEXT NOT NULL,
    item            TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (fiscal_year, ward, disaster_type, item)
);

-- The relief fund. fund_balance is one row whose balance can never go below
-- zero: every entry moves it in the same transaction with
--   UPDATE fund_balance SET balance = balance - ? WHERE id = 1 AND balance >= ?
-- (0 rows = insufficient). On PostgreSQL the row lock serialises writers;
-- on SQLite the single writer connection does. Nothing reads the balance and
-- then decides in Go, so two clerks at once cannot overdraw the fund.
CREATE TABLE fund_balance (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    balance  BIGINT NOT NULL CHECK (balance >= 0)
);
INSERT INTO fund_balance (id, balance) VALUES (1, 0);

CREATE TABLE fund_transactions (
    id               {{id}},
    kind             TEXT NOT NULL CHECK (kind IN ('income', 'expenditure')),
    amount           BIGINT NOT NULL CHECK (amount > 0),
    description      TEXT NOT NULL,
    date_bs          TEXT NOT NULL,
    date_ad          TEXT NOT NULL,
    fiscal_year      INTEGER NOT NULL,
    system           BOOLEAN NOT NULL DEFAULT FALSE,
    distribution_id  {{bigint}} UNIQUE REFERENCES distributions (id),
    locked           BOOLEAN NOT NULL DEFAULT TRUE,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       {{timestamp}} NOT NULL,
    created_by       TEXT NOT NULL,
    updated_at       {{timestamp}} NOT NULL,
    updated_by       TEXT NOT NULL,
    CHECK (system = (distribution_id IS NOT NULL))
);
-- Ledger order; the running balance sums kind and amount from the index alone.
CREATE INDEX fund_transactions_date ON fund_transactions (date_ad, id, kind, amount);
CREATE INDEX fund_transactions_fy ON fund_transactions (fiscal_year, kind, amount);
