-- PLACEHOLDER, delete at merge: branch audit-auth owns migration 0010. It is
-- here only so that this branch's 0011 runs alone (the runner requires
-- contiguous numbers).
SELECT 1;
