-- Who may see personal data and who may write the operations log (issue 17,
-- item 13).
--
-- users.see_all_personal: an admin granted this user the names, phones,
-- identity and bank numbers, coordinates and evidence files of households of
-- every ward. Without it, ward-limited users and viewers see them masked
-- outside their own wards (docs/security.md).
ALTER TABLE users ADD COLUMN see_all_personal BOOLEAN NOT NULL DEFAULT FALSE;

-- event_logs.ward: the ward an operations-log entry concerns; NULL for the
-- municipality as a whole. Ward-limited users write only entries of their
-- wards. Entries an incident wrote take the incident's ward.
ALTER TABLE event_logs ADD COLUMN ward INTEGER REFERENCES wards (number);
UPDATE event_logs SET ward = (SELECT incidents.ward FROM incidents WHERE incidents.id = event_logs.incident_id)
    WHERE incident_id IS NOT NULL;
CREATE INDEX event_logs_ward ON event_logs (ward, date_ad DESC, id DESC);
