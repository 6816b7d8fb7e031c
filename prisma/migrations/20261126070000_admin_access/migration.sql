-- CreateTable
CREATE TABLE "login_throttles" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "login_throttles_pkey" PRIMARY KEY ("key")
);

-- The audit log is append-only: history cannot be rewritten through the application or a stray UPDATE/DELETE.
-- TRUNCATE stays possible for whoever owns the table, e.g. to reset a demo database.
-- The body is an E'' string with \073 for its semicolon because Prisma's WASM engine (through adapter-pg)
-- splits migration scripts on every semicolon, even inside function bodies.
CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''audit_logs is append-only: % is not allowed'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';

CREATE TRIGGER audit_logs_append_only
  BEFORE UPDATE OR DELETE ON "audit_logs"
  FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
