-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "budget_thresholds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "monthly_budget" DECIMAL(18,2);

-- AlterTable
ALTER TABLE "webhooks" ADD COLUMN     "user_id" INTEGER;

-- CreateTable
CREATE TABLE "notification_subscriptions" (
    "id" SERIAL NOT NULL,
    "channel_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "department_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "notification_subscriptions_kind_idx" ON "notification_subscriptions"("kind");

-- CreateIndex
-- NULLS NOT DISTINCT: one organization-wide (department_id NULL) row per channel and kind as well.
CREATE UNIQUE INDEX "notification_subscriptions_channel_id_kind_department_id_key" ON "notification_subscriptions"("channel_id", "kind", "department_id") NULLS NOT DISTINCT;

-- CreateIndex
CREATE UNIQUE INDEX "webhooks_user_id_key" ON "webhooks"("user_id");

-- AddForeignKey
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_subscriptions" ADD CONSTRAINT "notification_subscriptions_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_subscriptions" ADD CONSTRAINT "notification_subscriptions_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Channels added before subscriptions received every alert: they keep exactly that.
INSERT INTO "notification_subscriptions" ("channel_id", "kind", "department_id")
SELECT w.id, k.kind, NULL FROM "webhooks" w CROSS JOIN (VALUES ('budget'), ('forecast'), ('anomaly')) AS k(kind);
