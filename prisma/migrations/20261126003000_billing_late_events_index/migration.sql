-- Billing looks up late events (arrived after their period was finalized) on every draft run. Late events are
-- rare, so a partial index keeps that lookup instant on a table of tens of millions of rows.
-- Partial indexes cannot be declared in schema.prisma, so this migration is their only definition.
CREATE INDEX "usage_events_late_customer_id_timestamp_idx" ON "usage_events" ("customer_id", "timestamp") WHERE "late";
