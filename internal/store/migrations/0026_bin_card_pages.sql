-- Bin card pages (issue 15): a page of an item's card reads its movements in
-- id order, in one warehouse or in all, and its running balance starts from
-- the sum of the movements before the page. With the quantity in the index
-- that sum, the card's count and the balance now are read from the index
-- alone, never the ledger's rows; (item, id) keeps the all-warehouses card
-- in id order without a sort.
DROP INDEX stock_movements_card;
CREATE INDEX stock_movements_card ON stock_movements (item_id, warehouse_id, id, quantity);
CREATE INDEX stock_movements_item_card ON stock_movements (item_id, id, quantity);
