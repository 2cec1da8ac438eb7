-- The relief store (issue 14): the item catalogue and the warehouses. The
-- catalogue replaces the relief-item settings list (one list, not two): the
-- list's keys become item codes, and a distribution's items reference the
-- catalogue from here on. Quantities are thousandths of a unit (leoc.Quantity).

-- Categories and units are configurable lists like the contact categories.
INSERT INTO list_values (list, key, label_ne, label_en, position) VALUES
    ('item_category', 'food', 'खाद्य सामग्री', 'Food', 1),
    ('item_category', 'non_food', 'गैरखाद्य राहत सामग्री', 'Non-food relief', 2),
    ('item_category', 'medical', 'औषधि तथा स्वास्थ्य सामग्री', 'Medical', 3),
    ('item_category', 'search_rescue', 'खोज तथा उद्धार सामग्री', 'Search and rescue', 4),
    ('item_category', 'logistics', 'ढुवानी तथा व्यवस्थापन सामग्री', 'Logistics', 5),
    ('item_category', 'vehicle', 'सवारी साधन', 'Vehicle', 6),
    ('item_category', 'other', 'अन्य', 'Other', 7),
    ('item_unit', 'kg', 'केजी', 'kg', 1),
    ('item_unit', 'litre', 'लिटर', 'litre', 2),
    ('item_unit', 'piece', 'थान', 'piece', 3),
    ('item_unit', 'packet', 'प्याकेट', 'packet', 4),
    ('item_unit', 'set', 'सेट', 'set', 5),
    ('item_unit', 'box', 'बाकस', 'box', 6),
    ('item_unit', 'sack', 'बोरा', 'sack', 7),
    ('item_unit', 'bundle', 'मुठा', 'bundle', 8),
    ('item_unit', 'metre', 'मिटर', 'metre', 9),
    ('item_unit', 'strip', 'पत्ता', 'strip', 10)
ON CONFLICT (list, key) DO NOTHING;

-- A relief item's unit that is none of the above becomes a unit of its own,
-- so no label a municipality configured is lost.
INSERT INTO list_values (list, key, label_ne, label_en, position)
SELECT 'item_unit', 'u_' || MIN(r.key), MIN(r.unit_ne), MIN(r.unit_en), 100 + MIN(r.position)
FROM list_values r
WHERE r.list = 'relief_item' AND NOT EXISTS (
    SELECT 1 FROM list_values u
    WHERE u.list = 'item_unit' AND (LOWER(u.label_en) = LOWER(r.unit_en) OR u.label_ne = r.unit_ne))
GROUP BY LOWER(r.unit_en)
ON CONFLICT (list, key) DO NOTHING;

CREATE TABLE inventory_items (
    id             {{id}},
    code           TEXT NOT NULL UNIQUE,
    name_ne        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    category_list  TEXT NOT NULL DEFAULT 'item_category' CHECK (category_list = 'item_category'),
    category       TEXT NOT NULL,
    unit_list      TEXT NOT NULL DEFAULT 'item_unit' CHECK (unit_list = 'item_unit'),
    unit           TEXT NOT NULL,
    min_stock      BIGINT NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
    track_expiry   BOOLEAN NOT NULL DEFAULT FALSE,
    track_batch    BOOLEAN NOT NULL DEFAULT FALSE,
    distributable  BOOLEAN NOT NULL DEFAULT TRUE,
    locked         BOOLEAN NOT NULL DEFAULT TRUE,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     {{timestamp}} NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     {{timestamp}} NOT NULL,
    updated_by     TEXT NOT NULL,
    FOREIGN KEY (category_list, category) REFERENCES list_values (list, key),
    FOREIGN KEY (unit_list, unit) REFERENCES list_values (list, key)
);
CREATE INDEX inventory_items_category ON inventory_items (category, code);

-- The relief items become distributable catalogue items; food by their
-- well-known keys, everything else non-food relief.
INSERT INTO inventory_items (code, name_ne, name_en, category, unit, distributable, locked,
    created_at, created_by, updated_at, updated_by)
SELECT r.key, r.label_ne, r.label_en,
    CASE WHEN r.key IN ('rice', 'lentils', 'salt', 'cooking_oil', 'sugar', 'flour', 'beaten_rice', 'noodles', 'biscuits', 'food')
        THEN 'food' ELSE 'non_food' END,
    COALESCE((SELECT u.key FROM list_values u
        WHERE u.list = 'item_unit' AND (LOWER(u.label_en) = LOWER(r.unit_en) OR u.label_ne = r.unit_ne)
        ORDER BY u.position, u.key LIMIT 1), 'piece'),
    TRUE, TRUE, CURRENT_TIMESTAMP, 'system', CURRENT_TIMESTAMP, 'system'
FROM list_values r
WHERE r.list = 'relief_item'
ORDER BY r.position, r.key;

-- distribution_items.item now references the catalogue. SQLite cannot add a
-- foreign key to a table, so both dialects rebuild it the same way.
CREATE TABLE distribution_items_new (
    distribution_id  {{bigint}} NOT NULL REFERENCES distributions (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    item             TEXT NOT NULL REFERENCES inventory_items (code),
    quantity         BIGINT NOT NULL CHECK (quantity >= 1),
    unit             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (distribution_id, position)
);
INSERT INTO distribution_items_new (distribution_id, position, item, quantity, unit)
SELECT distribution_id, position, item, quantity, unit FROM distribution_items;
DROP TABLE distribution_items;
ALTER TABLE distribution_items_new RENAME TO distribution_items;
CREATE INDEX distribution_items_item ON distribution_items (item);

DELETE FROM list_values WHERE list = 'relief_item';

CREATE TABLE warehouses (
    id         {{id}},
    code       TEXT NOT NULL UNIQUE,
    name_ne    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    ward       INTEGER REFERENCES wards (number),
    latitude   {{double}},
    longitude  {{double}},
    keeper     TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    locked     BOOLEAN NOT NULL DEFAULT TRUE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at {{timestamp}} NOT NULL,
    created_by TEXT NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX warehouses_ward ON warehouses (ward, code);

-- Every municipality has its own store; ward NULL = the whole municipality.
INSERT INTO warehouses (code, name_ne, name_en, locked, created_at, created_by, updated_at, updated_by)
VALUES ('MAIN', 'पालिका भण्डार', 'Municipal store', TRUE, CURRENT_TIMESTAMP, 'system', CURRENT_TIMESTAMP, 'system');
