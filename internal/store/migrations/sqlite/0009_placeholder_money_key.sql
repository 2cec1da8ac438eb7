-- PLACEHOLDER, delete at merge: branch money-key owns migration 0009. It is
-- here only so that this branch's 0011 runs alone (the runner requires
-- contiguous numbers).
SELECT 1;
