-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "focus_import" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "import_jobs" ADD COLUMN     "bytes_read" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "bytes_total" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "options" JSONB,
ADD COLUMN     "reversed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "skipped" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "import_upload_chunks" (
    "import_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "import_upload_chunks_pkey" PRIMARY KEY ("import_id","seq")
);

-- CreateTable
CREATE TABLE "focus_import_keys" (
    "import_id" INTEGER NOT NULL,
    "event_key" TEXT NOT NULL,

    CONSTRAINT "focus_import_keys_pkey" PRIMARY KEY ("import_id","event_key")
);

