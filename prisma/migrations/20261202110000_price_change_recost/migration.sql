-- Re-costing (issue 17 item 6): each price change records the recompute run that re-costed it (set together with
-- recosted_at, in the transaction that creates the run). No foreign key: runs are never deleted, and the link is
-- informational (audited on both sides).
ALTER TABLE "price_changes" ADD COLUMN "recompute_run_id" INTEGER;
