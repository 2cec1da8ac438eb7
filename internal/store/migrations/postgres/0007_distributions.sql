-- Placeholder: filled in by the register that owns this migration.
SELECT 1;
