-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "gl_offset_account" TEXT;

-- AlterTable
ALTER TABLE "departments" ADD COLUMN     "cost_center_code" TEXT,
ADD COLUMN     "gl_account" TEXT;

-- AlterTable
ALTER TABLE "allocation_rules" ADD COLUMN     "effective_to" DATE;

-- CreateTable
CREATE TABLE "allocation_closes" (
    "period" TEXT NOT NULL,
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_by_id" INTEGER,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "allocation_closes_pkey" PRIMARY KEY ("period")
);

