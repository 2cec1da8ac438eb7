-- Emergency contacts (आपत्कालीन सम्पर्क): offices and people to call, of a
-- ward or, with ward NULL, of the whole municipality. phones holds one or
-- more numbers in ASCII ("+9779800000000,099420001"), checked by the domain.
CREATE TABLE contacts (
    id             {{id}},
    organisation   TEXT NOT NULL,
    person         TEXT NOT NULL DEFAULT '',
    designation    TEXT NOT NULL DEFAULT '',
    category_list  TEXT NOT NULL DEFAULT 'contact_category' CHECK (category_list = 'contact_category'),
    category       TEXT NOT NULL,
    phones         TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    ward           INTEGER REFERENCES wards (number),
    address        TEXT NOT NULL DEFAULT '',
    hours          TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    locked         BOOLEAN NOT NULL DEFAULT TRUE,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     {{timestamp}} NOT NULL,
    created_by     TEXT NOT NULL,
    updated_at     {{timestamp}} NOT NULL,
    updated_by     TEXT NOT NULL,
    FOREIGN KEY (category_list, category) REFERENCES list_values (list, key)
);
CREATE INDEX contacts_category ON contacts (category, organisation, id);
CREATE INDEX contacts_ward ON contacts (ward, organisation, id);

-- The categories, a configurable list like the disaster types.
INSERT INTO list_values (list, key, label_ne, label_en, position) VALUES
    ('contact_category', 'government', 'सरकारी निकाय', 'Government', 1),
    ('contact_category', 'security', 'सुरक्षा निकाय', 'Security', 2),
    ('contact_category', 'health', 'स्वास्थ्य', 'Health', 3),
    ('contact_category', 'ngo', 'गैरसरकारी संस्था', 'NGO', 4),
    ('contact_category', 'media', 'सञ्चार माध्यम', 'Media', 5),
    ('contact_category', 'utility', 'सार्वजनिक सेवा', 'Utility', 6),
    ('contact_category', 'other', 'अन्य', 'Other', 7)
ON CONFLICT (list, key) DO NOTHING;
