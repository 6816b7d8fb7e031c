-- usage_events becomes a table partitioned by month (UTC) on "timestamp", and idempotency moves to a narrow table
-- usage_event_keys(source, event_key) that ingestion writes in the same statement as the event (lib/ingest/writer.ts).
-- A unique index on a partitioned table must contain the partition key, so (source, event_key) can no longer be
-- unique on usage_events itself, the key table keeps it unique forever, whatever the event's month.
-- README, "Partitioned events", documents the locking and the time this takes per million events.
--
-- The migration rebuilds the table in place from its CURRENT definition (CREATE TABLE ... LIKE), so columns,
-- defaults, NOT NULL and CHECK constraints added by earlier migrations carry over without being listed here, and
-- so do their non-unique indexes. It holds an ACCESS EXCLUSIVE lock on usage_events from the first statement to
-- the commit: ingestion and every read of raw events wait (rollup reads do not).
--
-- PL/pgSQL bodies are E'...' strings with \073 for each semicolon (see 20261201060000_app_role), and no comment
-- holds a semicolon: the driver adapter splits the script at every one, comments included.

-- One explicit transaction: the Prisma CLI's driver adapter runs a script statement by statement in autocommit, and
-- a table swap must not be left half done. (The release's runner sends the script as one query, where BEGIN and
-- COMMIT mean the same.)
BEGIN;

-- 1. Refuse what cannot be carried over, before changing anything.
DO E'
DECLARE
  r record\073
BEGIN
  FOR r IN SELECT conname, conrelid::regclass::text AS tab FROM pg_constraint
           WHERE contype = ''f'' AND (conrelid = ''usage_events''::regclass OR confrelid = ''usage_events''::regclass) LOOP
    RAISE EXCEPTION ''foreign key % on % involves usage_events: a partitioned usage_events takes none'', r.conname, r.tab\073
  END LOOP\073
  FOR r IN SELECT i.indexrelid::regclass::text AS name FROM pg_index i
           WHERE i.indrelid = ''usage_events''::regclass AND i.indisunique
             AND i.indexrelid::regclass::text NOT IN (''usage_events_pkey'', ''usage_events_source_event_key_key'') LOOP
    RAISE EXCEPTION ''unique index % on usage_events cannot be kept on a partitioned table (it lacks "timestamp")'', r.name\073
  END LOOP\073
END';

-- Non-unique indexes other migrations added, recreated on the new table at the end (same names and definitions).
CREATE TEMP TABLE usage_events_carried_indexes ON COMMIT DROP AS
  SELECT indexdef FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename = 'usage_events'
    AND indexname NOT IN ('usage_events_pkey', 'usage_events_source_event_key_key', 'usage_events_timestamp_idx',
      'usage_events_agent_id_timestamp_idx', 'usage_events_customer_id_timestamp_idx', 'usage_events_late_customer_id_timestamp_idx');

-- 2. The old table steps aside, the new one is built from its definition (no indexes yet: they are built once the
--    rows are in, which is several times faster than maintaining them row by row).
LOCK TABLE usage_events IN ACCESS EXCLUSIVE MODE;
ALTER TABLE usage_events RENAME TO usage_events_unpartitioned;
CREATE TABLE usage_events (LIKE usage_events_unpartitioned INCLUDING ALL EXCLUDING INDEXES) PARTITION BY RANGE ("timestamp");
-- The id sequence (shared with usage_event_keys.event_id) must outlive the old table.
ALTER SEQUENCE usage_events_id_seq OWNED BY NONE;

-- Events whose month has no partition yet (historic imports, far-future timestamps) land here until
-- ensure_usage_partitions() gives them their own partition.
CREATE TABLE usage_events_default PARTITION OF usage_events DEFAULT;

-- 3. Partition maintenance, run as the owner: at the end of this migration, at every start and daily as a job
--    (lib/partitions.ts, ensureUsagePartitions()). The app role cannot run it (no DDL).
--
-- Adds the partition of the UTC month containing month_start if it is missing, moving that month's rows out of the
-- default partition. Built as a plain table and ATTACHed, so the parent is only locked SHARE UPDATE EXCLUSIVE
-- (ingestion and reads continue), the default partition is locked ACCESS EXCLUSIVE while its rows of that month
-- move and while ATTACH checks it holds none of them (a scan of the default partition, which stays small).
-- Locks are taken parent first, then the default partition: the same order as LOCK TABLE usage_events (rollup
-- rebuild), so the two cannot deadlock.
CREATE FUNCTION usage_events_add_partition(month_start timestamptz) RETURNS boolean LANGUAGE plpgsql AS E'
DECLARE
  lo timestamptz := date_trunc(''month'', month_start, ''UTC'')\073
  hi timestamptz := ((lo AT TIME ZONE ''UTC'') + interval ''1 month'') AT TIME ZONE ''UTC''\073
  name text := ''usage_events_'' || to_char(lo AT TIME ZONE ''UTC'', ''YYYYMM'')\073
BEGIN
  IF to_regclass(quote_ident(name)) IS NOT NULL THEN
    RETURN false\073
  END IF\073
  LOCK TABLE ONLY usage_events IN SHARE UPDATE EXCLUSIVE MODE\073
  LOCK TABLE usage_events_default IN ACCESS EXCLUSIVE MODE\073
  EXECUTE format(''CREATE TABLE %I (LIKE usage_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'', name)\073
  EXECUTE format(''WITH moved AS (DELETE FROM usage_events_default WHERE "timestamp" >= %L AND "timestamp" < %L RETURNING *) INSERT INTO %I SELECT * FROM moved'', lo, hi, name)\073
  EXECUTE format(''ALTER TABLE usage_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)'', name, lo, hi)\073
  RETURN true\073
END';

-- Partitions for the current UTC month and months_ahead months after it, and for every month that has rows in the
-- default partition. Idempotent, returns how many partitions it created.
CREATE FUNCTION ensure_usage_partitions(months_ahead integer DEFAULT 3) RETURNS integer LANGUAGE plpgsql AS E'
DECLARE
  m timestamptz\073
  created integer := 0\073
BEGIN
  FOR m IN
    SELECT DISTINCT date_trunc(''month'', "timestamp", ''UTC'') FROM usage_events_default
    UNION
    SELECT (date_trunc(''month'', now() AT TIME ZONE ''UTC'') + make_interval(months => g)) AT TIME ZONE ''UTC''
    FROM generate_series(0, months_ahead) AS g
    ORDER BY 1
  LOOP
    IF usage_events_add_partition(m) THEN
      created := created + 1\073
    END IF\073
  END LOOP\073
  RETURN created\073
END';

REVOKE ALL ON FUNCTION usage_events_add_partition(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION ensure_usage_partitions(integer) FROM PUBLIC;

-- 4. One partition per month that has events, then the rows. The SELECT DISTINCT reads the old table once.
SELECT usage_events_add_partition(m) FROM (SELECT DISTINCT date_trunc('month', "timestamp", 'UTC') AS m FROM usage_events_unpartitioned) months ORDER BY m;
SELECT ensure_usage_partitions(3);
SET LOCAL maintenance_work_mem = '256MB';
INSERT INTO usage_events SELECT * FROM usage_events_unpartitioned;

-- 5. The key table: one narrow row per event ever accepted, in no partition, so idempotency holds across months
--    and outlives any later drop of old partitions (retention). event_id and "timestamp" find the event itself
--    (primary key of usage_events, with partition pruning). Ingestion draws event_id from the events' sequence.
CREATE TABLE usage_event_keys (
    "source" TEXT NOT NULL,
    "event_key" TEXT NOT NULL,
    "event_id" BIGINT NOT NULL DEFAULT nextval('usage_events_id_seq'),
    "timestamp" TIMESTAMPTZ(3) NOT NULL
);
INSERT INTO usage_event_keys (source, event_key, event_id, "timestamp") SELECT source, event_key, id, "timestamp" FROM usage_events_unpartitioned;
ALTER TABLE usage_event_keys ADD CONSTRAINT usage_event_keys_pkey PRIMARY KEY (source, event_key);

-- The old table's grants, copied as they are (not widened by the default privileges): for the events and, the
-- same, for the key table. Partitions are reached through the parent, whose privileges are the ones checked.
DO E'
DECLARE
  r record\073
BEGIN
  REVOKE ALL ON usage_events, usage_event_keys FROM agentledger_app\073
  FOR r IN SELECT g.grantee, g.privilege_type FROM information_schema.role_table_grants g
           WHERE g.table_schema = current_schema() AND g.table_name = ''usage_events_unpartitioned''
             AND g.grantee <> (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = ''usage_events_unpartitioned'') LOOP
    EXECUTE format(''GRANT %s ON usage_events, usage_event_keys TO %s'', r.privilege_type,
      CASE WHEN r.grantee = ''PUBLIC'' THEN ''PUBLIC'' ELSE quote_ident(r.grantee) END)\073
  END LOOP\073
END';

DROP TABLE usage_events_unpartitioned;
ALTER SEQUENCE usage_events_id_seq OWNED BY usage_events.id;

-- 6. Indexes, each on every partition (present and future). Chosen for the queries that still read raw events:
--  - primary key (id, "timestamp"): an event by id (drill-down cursors, the key table's event_id, onboarding's
--    newest event = ORDER BY id DESC LIMIT 1, one index probe per partition). It must contain the partition key.
--  - ("timestamp"): time ranges that cover part of a month (billing periods in the organization's time zone start
--    and end inside a UTC month, the Salesforce usage push, the dimensions sample of the newest 5,000 events).
--    Whole-month scans (billing, rollup rebuild) read whole partitions and need no index.
--  - (agent_id, "timestamp"): the agent page's event drill-down, newest first, keyset-paginated.
--  - (customer_id, "timestamp"): billing rated for a few customers (late adjustments, one invoice's preview).
--  - (customer_id, "timestamp") WHERE late: the late-event probe of billing (lib/billing/late.ts), tiny.
-- No index on (source, event_key) here: the key table's primary key answers "does this event exist".
ALTER TABLE usage_events ADD CONSTRAINT usage_events_pkey PRIMARY KEY (id, "timestamp");
CREATE INDEX "usage_events_timestamp_idx" ON usage_events ("timestamp");
CREATE INDEX "usage_events_agent_id_timestamp_idx" ON usage_events (agent_id, "timestamp");
CREATE INDEX "usage_events_customer_id_timestamp_idx" ON usage_events (customer_id, "timestamp");
CREATE INDEX "usage_events_late_customer_id_timestamp_idx" ON usage_events (customer_id, "timestamp") WHERE late;
DO E'
DECLARE
  r record\073
BEGIN
  FOR r IN SELECT indexdef FROM usage_events_carried_indexes LOOP
    EXECUTE r.indexdef\073
  END LOOP\073
END';

ANALYZE usage_events;
ANALYZE usage_event_keys;

COMMIT;
