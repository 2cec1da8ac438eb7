-- Searches of common words (issue 15): two words each in a fifth of the
-- distributions can be together in one row of a hundred among the newest, so
-- the first page tests thousands of rows in date order (store/search.go,
-- rowOrder). This index holds the date order and the searched text: the rows
-- are tested in the index, and only the page's rows are read from the table
-- (store/distribution_list.go, narrowRows).
-- @sqlite
CREATE INDEX distributions_date_search ON distributions (date_ad, id, search_text);
-- @postgres
-- A B-tree entry must fit in a third of a page, and the text of a household
-- of fifty long names may not: texts longer than 2,000 bytes (longSearchText)
-- have an index of their own without the text, and the store merges the two.
-- An index-only scan also needs the visibility map, which (auto)vacuum keeps.
CREATE INDEX distributions_date_search ON distributions (date_ad, id) INCLUDE (search_text) WHERE octet_length(search_text) <= 2000;
CREATE INDEX distributions_date_long_search ON distributions (date_ad, id) WHERE octet_length(search_text) > 2000;
-- @end
