-- Keyset pagination (issue 15): every list page is read from where the page
-- before ended, and a page asked for by number finds its ids in an index.
-- Both need an index whose columns are the list's order, the id last. The
-- default orders had one; these are the sorts people may choose that had
-- none, on the registers that grow to a million rows, and the operations
-- log's default order (date, time, id), whose index left the time out.
CREATE INDEX distributions_cash_date ON distributions (cash, date_ad, id);
CREATE INDEX distributions_name_date ON distributions (name_key, date_ad, id);
CREATE INDEX event_logs_date_time ON event_logs (date_ad, time_of_day, id);
