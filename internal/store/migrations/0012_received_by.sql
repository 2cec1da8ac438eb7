-- Who collected the relief when it was not the household head (बुझिलिने):
-- the receipt names them in the sentence and under the signature.
ALTER TABLE distributions ADD COLUMN received_by TEXT NOT NULL DEFAULT '';
