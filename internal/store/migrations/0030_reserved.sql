-- Reserved for the pgwrite branch's migration (issue 15): migrations must be
-- numbered without a gap, and the incbin branch's is 0031. When the branches
-- are merged, the real 0030 replaces this file.
SELECT 1;
