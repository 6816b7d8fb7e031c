-- The Salesforce org (id 00D...) a connection with Agentforce presets reads, unique per provider: two connections
-- to one org cannot both import its org-wide Data 360 records (docs/salesforce.md, "One preset connection per org").
ALTER TABLE "connectors" ADD COLUMN "external_account" TEXT;
CREATE UNIQUE INDEX "connectors_provider_external_account_key" ON "connectors" ("provider", "external_account");
