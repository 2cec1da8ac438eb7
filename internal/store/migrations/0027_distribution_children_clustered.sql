-- The members, harms and items of a distribution are read with it, by
-- (distribution_id, position) (store/distribution_children.go): a list page
-- reads those of 50 distributions, ~300 rows. On SQLite a table with a rowid
-- keeps its primary key in a separate index, so each of those rows was a seek
-- in the index and then one in the table; WITHOUT ROWID the table is that
-- index, and the rows of one distribution sit together. The columns,
-- constraints and the item index stay as 0007 and 0019 made them.
-- PostgreSQL keeps its tables as heaps: nothing to do there.
-- @sqlite
CREATE TABLE distribution_members_new (
    distribution_id  {{bigint}} NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    relation         TEXT NOT NULL DEFAULT '',
    age              INTEGER NOT NULL CHECK (age BETWEEN 0 AND 130),
    sex              TEXT NOT NULL CHECK (sex IN ('male', 'female', 'other')),
    PRIMARY KEY (distribution_id, position)
) WITHOUT ROWID;
INSERT INTO distribution_members_new (distribution_id, position, name, relation, age, sex)
SELECT distribution_id, position, name, relation, age, sex FROM distribution_members;
DROP TABLE distribution_members;
ALTER TABLE distribution_members_new RENAME TO distribution_members;

CREATE TABLE distribution_harms_new (
    distribution_id  {{bigint}} NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    member           TEXT NOT NULL,
    harm             TEXT NOT NULL,
    severity         TEXT NOT NULL CHECK (severity IN ('minor', 'serious', 'critical')),
    PRIMARY KEY (distribution_id, position)
) WITHOUT ROWID;
INSERT INTO distribution_harms_new (distribution_id, position, member, harm, severity)
SELECT distribution_id, position, member, harm, severity FROM distribution_harms;
DROP TABLE distribution_harms;
ALTER TABLE distribution_harms_new RENAME TO distribution_harms;

CREATE TABLE distribution_items_new (
    distribution_id  {{bigint}} NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    item             TEXT NOT NULL REFERENCES inventory_items (code),
    quantity         BIGINT NOT NULL CHECK (quantity >= 1),
    unit             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (distribution_id, position)
) WITHOUT ROWID;
INSERT INTO distribution_items_new (distribution_id, position, item, quantity, unit)
SELECT distribution_id, position, item, quantity, unit FROM distribution_items;
DROP TABLE distribution_items;
ALTER TABLE distribution_items_new RENAME TO distribution_items;
CREATE INDEX distribution_items_item ON distribution_items (item);
-- @end
