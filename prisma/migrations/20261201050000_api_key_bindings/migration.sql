-- API key bindings (issue 14, item 10): optional allowed agents, departments and customers, a per-event cost
-- ceiling, and two permissions. New keys may neither create agents/customers nor write into finalized periods;
-- keys that exist before this migration keep today's behaviour (both true), set by the UPDATE below.
ALTER TABLE "api_keys" ADD COLUMN     "allowed_agents" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "allowed_customers" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "allowed_department_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "max_cost_per_event" DECIMAL(20,10),
ADD COLUMN     "may_create_entities" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "may_write_finalized" BOOLEAN NOT NULL DEFAULT false;

UPDATE "api_keys" SET "may_create_entities" = true, "may_write_finalized" = true;
