-- Reserved for the listcpu branch's migration (issue 15): migrations must be
-- numbered without a gap, and the range branch's is 0028. When the branches
-- are merged, the real 0027 replaces this file.
SELECT 1;
