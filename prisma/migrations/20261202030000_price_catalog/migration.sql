-- DropIndex
DROP INDEX "model_prices_model_effective_from_key";

-- AlterTable
ALTER TABLE "model_prices" ADD COLUMN     "catalog_version" TEXT,
ADD COLUMN     "match" JSONB,
ADD COLUMN     "service_tier" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'manual',
ADD COLUMN     "tiers" JSONB;

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "price_rule" TEXT,
ADD COLUMN     "service_tier" TEXT,
ADD COLUMN     "unpriced" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "usage_rollup_hourly" ADD COLUMN     "unpriced_cache_creation_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_events" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_input_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_output_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_reasoning_tokens" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "usage_rollup_daily" ADD COLUMN     "unpriced_cache_creation_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_events" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_input_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_output_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_reasoning_tokens" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "usage_rollup_daily_core" ADD COLUMN     "unpriced_cache_creation_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_events" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_input_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_output_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "unpriced_reasoning_tokens" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "price_catalog_providers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "model_match" JSONB,
    "fallback" TEXT[],
    "position" INTEGER NOT NULL,
    "catalog_version" TEXT NOT NULL,

    CONSTRAINT "price_catalog_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_aliases" (
    "id" SERIAL NOT NULL,
    "alias" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_aliases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "price_discounts" (
    "id" SERIAL NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT,
    "percent" DECIMAL(7,4) NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_discounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "price_changes" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "models" TEXT[],
    "all_models" BOOLEAN NOT NULL DEFAULT false,
    "provider" TEXT,
    "range_from" TIMESTAMPTZ(3) NOT NULL,
    "range_to" TIMESTAMPTZ(3),
    "actor" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recosted_at" TIMESTAMPTZ(3),

    CONSTRAINT "price_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pricing_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "generation" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "pricing_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "model_aliases_alias_key" ON "model_aliases"("alias");

-- CreateIndex
CREATE INDEX "price_discounts_provider_model_idx" ON "price_discounts"("provider", "model");

-- CreateIndex
CREATE INDEX "price_changes_recosted_at_id_idx" ON "price_changes"("recosted_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "model_prices_source_provider_model_service_tier_effective_f_key" ON "model_prices"("source", "provider", "model", "service_tier", "effective_from");


-- One row: every statement that changes prices, aliases or discounts bumps it, so app instances reload their
-- compiled price rules when (and only when) they changed.
INSERT INTO "pricing_state" ("id", "generation") VALUES (1, 0);
ALTER TABLE "pricing_state" ADD CONSTRAINT "pricing_state_one_row" CHECK ("id" = 1);

CREATE FUNCTION bump_pricing_generation() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN UPDATE pricing_state SET generation = generation + 1 WHERE id = 1\073 RETURN NULL\073 END';

CREATE TRIGGER model_prices_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "model_prices" FOR EACH STATEMENT EXECUTE FUNCTION bump_pricing_generation();
CREATE TRIGGER model_aliases_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "model_aliases" FOR EACH STATEMENT EXECUTE FUNCTION bump_pricing_generation();
CREATE TRIGGER price_catalog_providers_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "price_catalog_providers" FOR EACH STATEMENT EXECUTE FUNCTION bump_pricing_generation();
CREATE TRIGGER price_discounts_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "price_discounts" FOR EACH STATEMENT EXECUTE FUNCTION bump_pricing_generation();
