-- Public advisories (सार्वजनिक सूचना) and the municipality boundary the CAP
-- feed draws its area polygon from.
--
-- Validity instants are stored in UTC with whole seconds (the domain
-- truncates them), so that they compare correctly as SQLite text too.
-- valid_until NULL means open-ended. previous_sent_at is updated_at of the
-- version before the current one: a CAP Update references that message.
CREATE TABLE advisories (
    id                {{id}},
    title             TEXT NOT NULL,
    content           TEXT NOT NULL,
    type              TEXT NOT NULL,
    priority          TEXT NOT NULL,
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    valid_from        {{timestamp}} NOT NULL,
    valid_until       {{timestamp}},
    previous_sent_at  {{timestamp}},
    locked            BOOLEAN NOT NULL DEFAULT TRUE,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        {{timestamp}} NOT NULL,
    created_by        TEXT NOT NULL,
    updated_at        {{timestamp}} NOT NULL,
    updated_by        TEXT NOT NULL
);
-- The public selection: active, started, not yet ended.
CREATE INDEX advisories_public ON advisories (active, valid_from);
CREATE INDEX advisories_from ON advisories (valid_from DESC, id DESC);

-- The municipality's outer boundary as imported by `leoc boundary import`
-- (a GeoJSON Polygon or MultiPolygon in WGS84). One row; absent = unknown.
CREATE TABLE municipality_boundary (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    geojson      TEXT NOT NULL,
    imported_at  {{timestamp}} NOT NULL,
    imported_by  TEXT NOT NULL
);
