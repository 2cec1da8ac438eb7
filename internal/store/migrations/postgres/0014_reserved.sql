-- Placeholder, so that this branch's 0015 runs: the migration runner wants
-- numbers without gaps, and 0014 belongs to a branch merged alongside this
-- one. DELETE THIS FILE AT MERGE.
SELECT 1;
