-- Social-security beneficiaries (सामाजिक सुरक्षा लाभग्राही) and evidence files.
--
-- id_key is the ID number reduced to what identifies it (ASCII digits and
-- letters, upper case), so "12-01-75/1234" and "१२०१७५१२३४" are the same
-- card; one card holds one allowance of a type. search holds the name, ID
-- and phone in NFC and case-folded, so Devanagari and Latin names are found
-- the same way on both databases.
CREATE TABLE beneficiaries (
    id                   {{id}},
    name                 TEXT NOT NULL,
    id_number            TEXT NOT NULL,
    id_key               TEXT NOT NULL,
    allowance_list       TEXT NOT NULL DEFAULT 'allowance_type' CHECK (allowance_list = 'allowance_type'),
    allowance_type       TEXT NOT NULL,
    age                  INTEGER CHECK (age BETWEEN 0 AND 130),
    gender               TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'male', 'female', 'other')),
    ward                 INTEGER NOT NULL REFERENCES wards (number),
    tole                 TEXT NOT NULL DEFAULT '',
    latitude             {{double}} CHECK (latitude BETWEEN -90 AND 90),
    longitude            {{double}} CHECK (longitude BETWEEN -180 AND 180),
    phone                TEXT NOT NULL DEFAULT '',
    bank_account_holder  TEXT NOT NULL DEFAULT '',
    bank_account_number  TEXT NOT NULL DEFAULT '',
    bank_name            TEXT NOT NULL DEFAULT '',
    notes                TEXT NOT NULL DEFAULT '',
    search               TEXT NOT NULL DEFAULT '',
    locked               BOOLEAN NOT NULL DEFAULT TRUE,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           {{timestamp}} NOT NULL,
    created_by           TEXT NOT NULL,
    updated_at           {{timestamp}} NOT NULL,
    updated_by           TEXT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    FOREIGN KEY (allowance_list, allowance_type) REFERENCES list_values (list, key)
);
CREATE UNIQUE INDEX beneficiaries_card ON beneficiaries (id_key, allowance_type);
CREATE INDEX beneficiaries_ward_name ON beneficiaries (ward, name, id);
CREATE INDEX beneficiaries_allowance ON beneficiaries (allowance_type, name, id);
CREATE INDEX beneficiaries_name ON beneficiaries (name, id);
CREATE INDEX beneficiaries_phone ON beneficiaries (phone);

-- Evidence files (handover photos, scanned documents) of any register's
-- records. There is deliberately no foreign key to the record: removing a
-- record keeps its files until an admin runs "leoc files purge", which
-- deletes the stored object and sets deleted_at (the row stays as history).
-- storage_key is random (files.NewKey), never a user-supplied name.
CREATE TABLE attachments (
    id            {{id}},
    register      TEXT NOT NULL,
    record_id     {{bigint}} NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL CHECK (size > 0),
    storage_key   TEXT NOT NULL UNIQUE,
    sha256        TEXT NOT NULL,
    created_at    {{timestamp}} NOT NULL,
    created_by    TEXT NOT NULL,
    deleted_at    {{timestamp}}
);
CREATE INDEX attachments_record ON attachments (register, record_id, id);
