-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "fx_pending" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "fx_rate" DECIMAL,
ADD COLUMN     "fx_rate_date" DATE,
ADD COLUMN     "original_cost" DECIMAL(20,10),
ADD COLUMN     "original_currency" CHAR(3);


-- Few events await a rate, or were sent in another currency: the pending banner and the conversion runs (recompute
-- kind fx) find them through these partial indexes instead of scanning every event in a range.
CREATE INDEX "usage_events_fx_pending_idx" ON "usage_events" ("timestamp") WHERE "fx_pending";
CREATE INDEX "usage_events_fx_idx" ON "usage_events" ("timestamp", "id") WHERE "original_currency" IS NOT NULL;
