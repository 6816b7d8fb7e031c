-- Dated FX reference rates (issue 20). The app role agentledger_app gets SELECT, INSERT, UPDATE, DELETE on this
-- table from the default privileges of 20261201060000_app_role (README "Database roles"), so nothing is granted here.
-- CreateTable
CREATE TABLE "fx_rates" (
    "id" SERIAL NOT NULL,
    "base" CHAR(3) NOT NULL,
    "quote" CHAR(3) NOT NULL,
    "date" DATE NOT NULL,
    "rate" DECIMAL(30,15) NOT NULL,
    "source" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fx_rates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fx_rates_date_idx" ON "fx_rates"("date");

-- CreateIndex
CREATE UNIQUE INDEX "fx_rates_base_quote_date_key" ON "fx_rates"("base", "quote", "date");


-- A rate is positive, between two different currencies, and says where it came from.
ALTER TABLE "fx_rates" ADD CONSTRAINT "fx_rates_rate_positive" CHECK ("rate" > 0);
ALTER TABLE "fx_rates" ADD CONSTRAINT "fx_rates_pair" CHECK ("base" <> "quote" AND "base" ~ '^[A-Z]{3}$' AND "quote" ~ '^[A-Z]{3}$');
ALTER TABLE "fx_rates" ADD CONSTRAINT "fx_rates_source" CHECK ("source" IN ('manual', 'csv', 'ecb'));
