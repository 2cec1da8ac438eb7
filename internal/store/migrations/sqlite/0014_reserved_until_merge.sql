-- Placeholder on branch "legacy" only: this number belongs to another
-- branch's migration, and the numbering must have no gap for 0016 to run.
-- DELETE THIS FILE AT MERGE (the real migration of this number replaces it).
SELECT 1;
