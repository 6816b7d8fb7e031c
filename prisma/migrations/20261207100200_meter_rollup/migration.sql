-- Billing from rollups (lib/billing/README.md, "Meter rollup"): every meter's aggregate per local day (organization
-- time zone), customer and original currency, folded from raw events by the meter.fold job. A day is exact in the
-- rollup unless it has a row in meter_rollup_marks: rating reads raw events for marked days and the rollup for the
-- others, in one snapshot, so totals are exact before the fold runs.
--
-- Why the PL/pgSQL below is written in E'...' strings with \073 for each semicolon: see 20261201060000_app_role.

CREATE TABLE "meter_rollup_daily" (
    "day" DATE NOT NULL,
    "meter_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    -- The original currency of the events, empty for the organization currency (no original_currency).
    "currency" TEXT NOT NULL,
    -- The meter sum (count, sum_quantity, sum_property) or max of the day, null when no event of the day matched.
    "value" NUMERIC,
    -- Money meters (sum_property of cost): the sum in `currency` (original_cost, else cost).
    "amount" NUMERIC,
    -- Outcome meters: agent-handled tasks in the meter's scope and how many were escalated (net of reversals).
    "agent_tasks" BIGINT,
    "escalated" BIGINT,

    CONSTRAINT "meter_rollup_daily_pkey" PRIMARY KEY ("day", "meter_id", "customer_id", "currency")
);

-- Append-only: whatever changes the events of a day (or every day: a meter definition, the time zone) inserts a
-- mark, and the fold deletes exactly the marks it read.
CREATE TABLE "meter_rollup_marks" (
    "id" BIGSERIAL NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "meter_rollup_marks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "meter_rollup_marks_day_idx" ON "meter_rollup_marks"("day");

-- Every local day from the first to the last event, with two days' margin: after a time zone change, rows keyed by
-- the old zone days lie within two days of the new ones.
CREATE FUNCTION meter_rollup_mark_all() RETURNS void LANGUAGE sql AS $$
  INSERT INTO meter_rollup_marks (day)
  SELECT generate_series(lo - 2, hi + 2, interval '1 day')::date
  FROM (SELECT ((SELECT min(timestamp) FROM usage_events) AT TIME ZONE z.tz)::date AS lo,
               ((SELECT max(timestamp) FROM usage_events) AT TIME ZONE z.tz)::date AS hi
        FROM (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC') AS tz) z) r
  WHERE lo IS NOT NULL
$$;

-- Statement-level, with transition tables: one INSERT of the distinct local days a statement touched, so an ingest
-- batch adds a mark per day it carries (usually one), whichever path wrote it (ingest, corrections, imports,
-- re-costing, FX re-conversion, restores). Events without a customer are never billed and mark nothing.
CREATE FUNCTION meter_rollup_mark_events() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP <> ''DELETE'' THEN
    INSERT INTO meter_rollup_marks (day)
    SELECT DISTINCT (n.timestamp AT TIME ZONE z.tz)::date
    FROM new_rows n, (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), ''UTC'') AS tz) z
    WHERE n.customer_id IS NOT NULL\073
  END IF\073
  IF TG_OP <> ''INSERT'' THEN
    INSERT INTO meter_rollup_marks (day)
    SELECT DISTINCT (o.timestamp AT TIME ZONE z.tz)::date
    FROM old_rows o, (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), ''UTC'') AS tz) z
    WHERE o.customer_id IS NOT NULL\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER meter_rollup_mark_insert AFTER INSERT ON "usage_events"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION meter_rollup_mark_events();
CREATE TRIGGER meter_rollup_mark_update AFTER UPDATE ON "usage_events"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION meter_rollup_mark_events();
CREATE TRIGGER meter_rollup_mark_delete AFTER DELETE ON "usage_events"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION meter_rollup_mark_events();

CREATE FUNCTION meter_rollup_mark_all_trigger() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM meter_rollup_mark_all()\073
  RETURN NULL\073
END';

-- A new or redefined meter, or a new time zone, changes every day's figures.
CREATE TRIGGER meter_rollup_mark_meter_insert AFTER INSERT ON "meters" FOR EACH ROW EXECUTE FUNCTION meter_rollup_mark_all_trigger();
CREATE TRIGGER meter_rollup_mark_meter_update AFTER UPDATE ON "meters" FOR EACH ROW
  WHEN ((OLD.source, OLD.task_type, OLD.handled_by, OLD.agent_id, OLD.task_statuses, OLD.event_type, OLD.property_filter::text, OLD.aggregation, OLD.property)
        IS DISTINCT FROM (NEW.source, NEW.task_type, NEW.handled_by, NEW.agent_id, NEW.task_statuses, NEW.event_type, NEW.property_filter::text, NEW.aggregation, NEW.property))
  EXECUTE FUNCTION meter_rollup_mark_all_trigger();
CREATE TRIGGER meter_rollup_mark_time_zone AFTER UPDATE OF time_zone ON "organizations" FOR EACH ROW
  WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION meter_rollup_mark_all_trigger();

-- The events stored so far: every day is marked, so rating reads them raw until the first fold.
SELECT meter_rollup_mark_all();
