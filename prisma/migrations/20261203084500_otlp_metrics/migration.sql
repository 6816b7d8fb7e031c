-- CreateEnum
CREATE TYPE "OtlpUsageSource" AS ENUM ('traces', 'metrics');

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "usage_source" "OtlpUsageSource" NOT NULL DEFAULT 'traces';

-- CreateTable
CREATE TABLE "otlp_metric_series" (
    "source" TEXT NOT NULL,
    "series_key" TEXT NOT NULL,
    "start_nanos" BIGINT NOT NULL,
    "time_nanos" BIGINT NOT NULL,
    "total" BIGINT NOT NULL,
    "count" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "otlp_metric_series_pkey" PRIMARY KEY ("source","series_key")
);

