-- Ward polygons imported with `leoc wards import`: one row per ward, its
-- geometry (GeoJSON Polygon or MultiPolygon, WGS84, validated by
-- internal/geo) and the other properties of its feature as the file gave
-- them. No foreign key to wards: deleting a ward in settings must not be
-- blocked by its map; the readers join on wards, so a polygon of a deleted
-- ward is simply not shown.
CREATE TABLE ward_polygons (
    ward         INTEGER PRIMARY KEY,
    geometry     TEXT NOT NULL,
    properties   TEXT NOT NULL DEFAULT '{}',
    imported_at  {{timestamp}} NOT NULL,
    imported_by  TEXT NOT NULL
);
