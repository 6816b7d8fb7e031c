-- The tail's rows live seconds: vacuum it for the rows the fold deleted, not every 20,000 inserts (during a burst
-- the fold waits, and insert-triggered vacuums would rescan the growing tail again and again).
ALTER TABLE usage_rollup_tail SET (autovacuum_vacuum_insert_threshold = -1);
