-- AlterTable
ALTER TABLE "connectors" ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "salesforce_pushes" (
    "id" SERIAL NOT NULL,
    "connector_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "sobject" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "salesforce_id" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "pushed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "salesforce_pushes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "salesforce_pushes_connector_id_status_idx" ON "salesforce_pushes"("connector_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "salesforce_pushes_connector_id_kind_external_id_key" ON "salesforce_pushes"("connector_id", "kind", "external_id");

-- AddForeignKey
ALTER TABLE "salesforce_pushes" ADD CONSTRAINT "salesforce_pushes_connector_id_fkey" FOREIGN KEY ("connector_id") REFERENCES "connectors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

