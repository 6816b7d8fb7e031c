-- Requests of the app run as the role agentledger_app (or a login role that is a member of it), never as the
-- role that owns the tables. Migrations and maintenance (DDL) run as the owner. See README, "Database roles".
--
-- Why the PL/pgSQL below is written in E'...' strings with \073 for each semicolon: the pg driver adapter
-- that runs migrations (@prisma/adapter-pg executeScript) splits a script at every semicolon, even
-- inside quoted bodies, so a body may contain no literal semicolon. \073 is its octal escape.

-- 1. The role, without LOGIN. Created here when the migrating owner may create roles. An operator whose owner
--    may not creates it beforehand. Roles are cluster-wide and the migration of another database may create
--    it at the same moment, hence the duplicate handlers.
DO E'
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''agentledger_app'') THEN
    BEGIN
      CREATE ROLE agentledger_app NOLOGIN\073
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL\073
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION ''role "agentledger_app" does not exist and "%" may not create roles'', current_user
          USING HINT = ''As a superuser run CREATE ROLE agentledger_app NOLOGIN, then migrate again (README, "Database roles").''\073
    END\073
  END IF\073
END';

-- 2. Data access only: read and write rows, use sequences. The default privileges give every table and sequence
--    that the owner creates later in this schema (later migrations, partitions, the job queue) the same grants,
--    without the later migration having to remember it. No DDL for anyone but the owner: PostgreSQL 15+
--    already revokes CREATE on the schema from PUBLIC, older versions do not (a warning, not an error, when the
--    owner does not own the schema).
DO E'
DECLARE
  s text := quote_ident(current_schema())\073
BEGIN
  EXECUTE format(''GRANT USAGE ON SCHEMA %s TO agentledger_app'', s)\073
  EXECUTE format(''GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO agentledger_app'', s)\073
  EXECUTE format(''GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %s TO agentledger_app'', s)\073
  EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO agentledger_app'', s)\073
  EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA %s GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO agentledger_app'', s)\073
  EXECUTE format(''REVOKE CREATE ON SCHEMA %s FROM PUBLIC'', s)\073
END';

-- 3. Exceptions to the defaults.
-- The audit log is append-only for the app.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_logs" FROM agentledger_app;
-- Migration history belongs to the migrate step.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "_prisma_migrations" FROM agentledger_app;
-- A full rollup rebuild (a time zone change in the settings) empties the rollups in one statement.
GRANT TRUNCATE ON "usage_rollup_hourly", "usage_rollup_daily", "usage_rollup_daily_core" TO agentledger_app;

-- 4. A finalized (or void) invoice is frozen: its money, number, period, customer and lines never change, and it
--    is never deleted. Its status may still move on (finalized to void, and later states such as sent or
--    credited), but never back to draft nor out of void. Columns not listed (status, voided_at, void_reason,
--    updated_at, and balances a later migration adds) stay writable.
CREATE FUNCTION invoice_freeze() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' THEN
    IF OLD.status <> ''draft'' THEN
      RAISE EXCEPTION ''invoice % is %: only drafts can be deleted'', OLD.id, OLD.status USING ERRCODE = ''check_violation''\073
    END IF\073
    RETURN OLD\073
  END IF\073
  IF OLD.status <> ''draft'' THEN
    IF NEW.status = ''draft'' OR (OLD.status = ''void'' AND NEW.status <> ''void'') THEN
      RAISE EXCEPTION ''invoice % is %: it cannot become %'', OLD.id, OLD.status, NEW.status USING ERRCODE = ''check_violation''\073
    END IF\073
    IF (NEW.subtotal, NEW.adjustments_total, NEW.total, NEW.currency, NEW.number, NEW.period, NEW.period_start, NEW.period_end,
        NEW.customer_id, NEW.department_id, NEW.finalized_at, NEW.finalized_by_id)
       IS DISTINCT FROM
       (OLD.subtotal, OLD.adjustments_total, OLD.total, OLD.currency, OLD.number, OLD.period, OLD.period_start, OLD.period_end,
        OLD.customer_id, OLD.department_id, OLD.finalized_at, OLD.finalized_by_id) THEN
      RAISE EXCEPTION ''invoice % is %: its amounts, number, period and customer are frozen'', OLD.id, OLD.status USING ERRCODE = ''check_violation''\073
    END IF\073
  END IF\073
  RETURN NEW\073
END';

CREATE TRIGGER invoices_freeze BEFORE UPDATE OR DELETE ON "invoices" FOR EACH ROW EXECUTE FUNCTION invoice_freeze();

-- OLD is NULL on INSERT and NEW on DELETE. An UPDATE could move a line between invoices, so both are checked.
CREATE FUNCTION invoice_lines_freeze() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  frozen record\073
BEGIN
  SELECT id, status INTO frozen FROM invoices WHERE id IN (OLD.invoice_id, NEW.invoice_id) AND status <> ''draft'' LIMIT 1\073
  IF FOUND THEN
    RAISE EXCEPTION ''invoice % is %: its lines are frozen'', frozen.id, frozen.status USING ERRCODE = ''check_violation''\073
  END IF\073
  RETURN COALESCE(NEW, OLD)\073
END';

CREATE TRIGGER invoice_lines_freeze BEFORE INSERT OR UPDATE OR DELETE ON "invoice_lines" FOR EACH ROW EXECUTE FUNCTION invoice_lines_freeze();
