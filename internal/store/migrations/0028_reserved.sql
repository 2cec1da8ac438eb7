-- Reserved for the range branch's migration (issue 15): migrations must be
-- numbered without a gap, and the search branch's is 0029. When the branches
-- are merged, the real 0028 replaces this file.
SELECT 1;
