-- Relief items over all wards and types (issue 15): the item rows of 0007,
-- 0023 and 0024 are per fiscal year (day, month) x ward x type x item, about
-- 3,000 rows for the whole register and 10,000 for a one-year range at
-- 100,000 distributions, and an answer totals them per item only. These are
-- the same sums per fiscal year (day, month) x item, kept in the same
-- transaction (store/item_totals.go); an answer filtered by neither ward nor
-- type reads these, a few hundred rows.
CREATE TABLE distribution_item_totals (
    fiscal_year     INTEGER NOT NULL,
    item            TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (fiscal_year, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_item_totals (fiscal_year, item, quantity, distributions)
    SELECT d.fiscal_year, i.item, CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
    FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id
    GROUP BY d.fiscal_year, i.item;

CREATE TABLE distribution_day_item_totals (
    date_ad         TEXT NOT NULL,
    item            TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (date_ad, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_day_item_totals (date_ad, item, fiscal_year, quantity, distributions)
    SELECT d.date_ad, i.item, MIN(d.fiscal_year), CAST(SUM(i.quantity) AS BIGINT), COUNT(*)
    FROM distribution_items i JOIN distributions d ON d.id = i.distribution_id
    GROUP BY d.date_ad, i.item;

CREATE TABLE distribution_month_item_totals (
    month_ad        TEXT NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    item            TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    distributions   BIGINT NOT NULL,
    PRIMARY KEY (month_ad, fiscal_year, item)
-- @sqlite
) WITHOUT ROWID;
-- @postgres
);
-- @end
INSERT INTO distribution_month_item_totals (month_ad, fiscal_year, item, quantity, distributions)
    SELECT SUBSTR(date_ad, 1, 7), fiscal_year, item, CAST(SUM(quantity) AS BIGINT), CAST(SUM(distributions) AS BIGINT)
    FROM distribution_day_item_totals GROUP BY SUBSTR(date_ad, 1, 7), fiscal_year, item;
