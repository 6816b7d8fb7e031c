-- AlterTable
ALTER TABLE "task_types" ADD COLUMN     "default_baseline_minutes" DECIMAL(10,2),
ADD COLUMN     "default_loaded_hourly_cost" DECIMAL(12,2);

-- CreateTable
CREATE TABLE "roi_scenarios" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "owner_id" INTEGER NOT NULL,
    "baselines" JSONB NOT NULL,
    "share_token" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "roi_scenarios_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "department_ids" INTEGER[],
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "invited_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "roi_scenarios_share_token_key" ON "roi_scenarios"("share_token");

-- CreateIndex
CREATE INDEX "roi_scenarios_owner_id_idx" ON "roi_scenarios"("owner_id");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_email_idx" ON "invitations"("email");

-- AddForeignKey
ALTER TABLE "roi_scenarios" ADD CONSTRAINT "roi_scenarios_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Existing task types: today's baseline becomes the default that "reset" restores.
UPDATE "task_types" SET "default_baseline_minutes" = "baseline_minutes", "default_loaded_hourly_cost" = "loaded_hourly_cost";
