-- Outcome-based pricing: meters over tasks, charge floor/cap and success-rate guarantee, agents' billing mode.
ALTER TABLE "agents" ADD COLUMN "billing_mode" TEXT;

ALTER TABLE "meters" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'events',
ADD COLUMN "task_type" TEXT,
ADD COLUMN "handled_by" TEXT,
ADD COLUMN "agent_id" INTEGER,
ADD COLUMN "task_statuses" TEXT[] DEFAULT ARRAY[]::TEXT[];

ALTER TABLE "meters" ADD CONSTRAINT "meters_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "charges" ADD COLUMN "minimum_amount" DECIMAL(18,2),
ADD COLUMN "maximum_amount" DECIMAL(18,2),
ADD COLUMN "guarantee_max_escalation_rate" DECIMAL(7,6),
ADD COLUMN "guarantee_credit_percent" DECIMAL(7,4);
