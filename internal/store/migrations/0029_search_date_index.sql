-- Searches of common words (issue 15): two words each in a fifth of the
-- distributions can be together in one row of a hundred among the newest, so
-- the first page tests thousands of rows in date order (store/search.go,
-- rowOrder). This index holds the date order and the searched text: the rows
-- are tested in the index, and only the page's rows read from the table.
-- @sqlite
CREATE INDEX distributions_date_search ON distributions (date_ad, id, search_text);
-- @end
