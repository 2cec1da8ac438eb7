-- Reserved: the lead renumbers the parallel branches' migrations at merge.
-- This placeholder only keeps the numbers contiguous on the bulletin branch;
-- delete it when merging.
SELECT 1;
