-- Issue 19: the clinic's calendar and booking checks.
-- A treatment's hourly cap (e.g. 추나 at most 4 per hour): booking more in one clock hour
-- warns. NULL: no cap (the default for every treatment).
ALTER TABLE treatments ADD COLUMN hourly_cap INTEGER CHECK (hourly_cap IS NULL OR hourly_cap > 0);
