-- Indexed search (issue 15): the q filter of every register finds a word
-- anywhere in its text columns through an index kept in the write
-- transaction, instead of reading every row. SQLite: an FTS5 table with the
-- trigram tokenizer per register (<table>_search, external content: it
-- holds only the index; triggers keep it), queried for words of 3 or more
-- characters as a phrase, which is a substring match. PostgreSQL: pg_trgm
-- GIN indexes, which the same LIKE/ILIKE the store already writes uses.
-- Words shorter than 3 characters have no trigram: both scan, as before.
-- The existing rows are indexed here (rebuild / CREATE INDEX).
-- @postgres
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may
-- create it. Two databases migrating at once may both try; the loser finds
-- it made.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
END;
$$;
-- @end

-- distributions: The folded names, identity numbers and phone (search_text, written by the store).
-- @sqlite
CREATE VIRTUAL TABLE distributions_search USING fts5(search_text, content='distributions', content_rowid='id', tokenize='trigram');
CREATE TRIGGER distributions_search_insert AFTER INSERT ON distributions BEGIN
    INSERT INTO distributions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER distributions_search_delete AFTER DELETE ON distributions BEGIN
    INSERT INTO distributions_search (distributions_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER distributions_search_update AFTER UPDATE OF search_text ON distributions BEGIN
    INSERT INTO distributions_search (distributions_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO distributions_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
INSERT INTO distributions_search (distributions_search) VALUES ('rebuild');
-- @postgres
CREATE INDEX distributions_search_search_text ON distributions USING gin (search_text public.gin_trgm_ops);
-- @end

-- beneficiaries: The folded name, identity number, household keys and phone (search).
-- @sqlite
CREATE VIRTUAL TABLE beneficiaries_search USING fts5(search, content='beneficiaries', content_rowid='id', tokenize='trigram');
CREATE TRIGGER beneficiaries_search_insert AFTER INSERT ON beneficiaries BEGIN
    INSERT INTO beneficiaries_search (rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER beneficiaries_search_delete AFTER DELETE ON beneficiaries BEGIN
    INSERT INTO beneficiaries_search (beneficiaries_search, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER beneficiaries_search_update AFTER UPDATE OF search ON beneficiaries BEGIN
    INSERT INTO beneficiaries_search (beneficiaries_search, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO beneficiaries_search (rowid, search) VALUES (new.id, new.search);
END;
INSERT INTO beneficiaries_search (beneficiaries_search) VALUES ('rebuild');
-- @postgres
CREATE INDEX beneficiaries_search_search ON beneficiaries USING gin (search public.gin_trgm_ops);
-- @end

-- incidents
-- @sqlite
CREATE VIRTUAL TABLE incidents_search USING fts5(tole, description, content='incidents', content_rowid='id', tokenize='trigram');
CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO incidents_search (rowid, tole, description) VALUES (new.id, new.tole, new.description);
END;
CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents BEGIN
    INSERT INTO incidents_search (incidents_search, rowid, tole, description) VALUES ('delete', old.id, old.tole, old.description);
END;
CREATE TRIGGER incidents_search_update AFTER UPDATE OF tole, description ON incidents BEGIN
    INSERT INTO incidents_search (incidents_search, rowid, tole, description) VALUES ('delete', old.id, old.tole, old.description);
    INSERT INTO incidents_search (rowid, tole, description) VALUES (new.id, new.tole, new.description);
END;
INSERT INTO incidents_search (incidents_search) VALUES ('rebuild');
-- @postgres
CREATE INDEX incidents_search_tole ON incidents USING gin (tole public.gin_trgm_ops);
CREATE INDEX incidents_search_description ON incidents USING gin (description public.gin_trgm_ops);
-- @end

-- event_logs
-- @sqlite
CREATE VIRTUAL TABLE event_logs_search USING fts5(description, location, responsible_unit, content='event_logs', content_rowid='id', tokenize='trigram');
CREATE TRIGGER event_logs_search_insert AFTER INSERT ON event_logs BEGIN
    INSERT INTO event_logs_search (rowid, description, location, responsible_unit) VALUES (new.id, new.description, new.location, new.responsible_unit);
END;
CREATE TRIGGER event_logs_search_delete AFTER DELETE ON event_logs BEGIN
    INSERT INTO event_logs_search (event_logs_search, rowid, description, location, responsible_unit) VALUES ('delete', old.id, old.description, old.location, old.responsible_unit);
END;
CREATE TRIGGER event_logs_search_update AFTER UPDATE OF description, location, responsible_unit ON event_logs BEGIN
    INSERT INTO event_logs_search (event_logs_search, rowid, description, location, responsible_unit) VALUES ('delete', old.id, old.description, old.location, old.responsible_unit);
    INSERT INTO event_logs_search (rowid, description, location, responsible_unit) VALUES (new.id, new.description, new.location, new.responsible_unit);
END;
INSERT INTO event_logs_search (event_logs_search) VALUES ('rebuild');
-- @postgres
CREATE INDEX event_logs_search_description ON event_logs USING gin (description public.gin_trgm_ops);
CREATE INDEX event_logs_search_location ON event_logs USING gin (location public.gin_trgm_ops);
CREATE INDEX event_logs_search_responsible_unit ON event_logs USING gin (responsible_unit public.gin_trgm_ops);
-- @end

-- situation_reports
-- @sqlite
CREATE VIRTUAL TABLE situation_reports_search USING fts5(summary, weather, detailed_report, resources_deployed, content='situation_reports', content_rowid='id', tokenize='trigram');
CREATE TRIGGER situation_reports_search_insert AFTER INSERT ON situation_reports BEGIN
    INSERT INTO situation_reports_search (rowid, summary, weather, detailed_report, resources_deployed) VALUES (new.id, new.summary, new.weather, new.detailed_report, new.resources_deployed);
END;
CREATE TRIGGER situation_reports_search_delete AFTER DELETE ON situation_reports BEGIN
    INSERT INTO situation_reports_search (situation_reports_search, rowid, summary, weather, detailed_report, resources_deployed) VALUES ('delete', old.id, old.summary, old.weather, old.detailed_report, old.resources_deployed);
END;
CREATE TRIGGER situation_reports_search_update AFTER UPDATE OF summary, weather, detailed_report, resources_deployed ON situation_reports BEGIN
    INSERT INTO situation_reports_search (situation_reports_search, rowid, summary, weather, detailed_report, resources_deployed) VALUES ('delete', old.id, old.summary, old.weather, old.detailed_report, old.resources_deployed);
    INSERT INTO situation_reports_search (rowid, summary, weather, detailed_report, resources_deployed) VALUES (new.id, new.summary, new.weather, new.detailed_report, new.resources_deployed);
END;
INSERT INTO situation_reports_search (situation_reports_search) VALUES ('rebuild');
-- @postgres
CREATE INDEX situation_reports_search_summary ON situation_reports USING gin (summary public.gin_trgm_ops);
CREATE INDEX situation_reports_search_weather ON situation_reports USING gin (weather public.gin_trgm_ops);
CREATE INDEX situation_reports_search_detailed_report ON situation_reports USING gin (detailed_report public.gin_trgm_ops);
CREATE INDEX situation_reports_search_resources_deployed ON situation_reports USING gin (resources_deployed public.gin_trgm_ops);
-- @end

-- advisories
-- @sqlite
CREATE VIRTUAL TABLE advisories_search USING fts5(title, content, content='advisories', content_rowid='id', tokenize='trigram');
CREATE TRIGGER advisories_search_insert AFTER INSERT ON advisories BEGIN
    INSERT INTO advisories_search (rowid, title, content) VALUES (new.id, new.title, new.content);
END;
CREATE TRIGGER advisories_search_delete AFTER DELETE ON advisories BEGIN
    INSERT INTO advisories_search (advisories_search, rowid, title, content) VALUES ('delete', old.id, old.title, old.content);
END;
CREATE TRIGGER advisories_search_update AFTER UPDATE OF title, content ON advisories BEGIN
    INSERT INTO advisories_search (advisories_search, rowid, title, content) VALUES ('delete', old.id, old.title, old.content);
    INSERT INTO advisories_search (rowid, title, content) VALUES (new.id, new.title, new.content);
END;
INSERT INTO advisories_search (advisories_search) VALUES ('rebuild');
-- @postgres
CREATE INDEX advisories_search_title ON advisories USING gin (title public.gin_trgm_ops);
CREATE INDEX advisories_search_content ON advisories USING gin (content public.gin_trgm_ops);
-- @end

-- contacts
-- @sqlite
CREATE VIRTUAL TABLE contacts_search USING fts5(organisation, person, designation, content='contacts', content_rowid='id', tokenize='trigram');
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, organisation, person, designation) VALUES (new.id, new.organisation, new.person, new.designation);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, organisation, person, designation) VALUES ('delete', old.id, old.organisation, old.person, old.designation);
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF organisation, person, designation ON contacts BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, organisation, person, designation) VALUES ('delete', old.id, old.organisation, old.person, old.designation);
    INSERT INTO contacts_search (rowid, organisation, person, designation) VALUES (new.id, new.organisation, new.person, new.designation);
END;
INSERT INTO contacts_search (contacts_search) VALUES ('rebuild');
-- @postgres
CREATE INDEX contacts_search_organisation ON contacts USING gin (organisation public.gin_trgm_ops);
CREATE INDEX contacts_search_person ON contacts USING gin (person public.gin_trgm_ops);
CREATE INDEX contacts_search_designation ON contacts USING gin (designation public.gin_trgm_ops);
-- @end
