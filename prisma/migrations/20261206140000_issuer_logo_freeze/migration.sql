-- The issuer's logo is part of an issued invoice: finalization keeps the logo's bytes here (content-addressed, so
-- invoices share one row per logo) and its hash in invoices.issuer ("logoSha256", null = no logo then), which the
-- freeze trigger already covers. A later logo change in the settings leaves issued documents as they were.
CREATE TABLE "issuer_logos" (
    "sha256" CHAR(64) NOT NULL,
    "image" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "issuer_logos_pkey" PRIMARY KEY ("sha256")
);

-- Invoices issued before this printed the logo of the day they were rendered: the current logo is the one they
-- have been printing, so it is frozen for them. (No semicolon in comments here: the migration driver splits at each.) (the trigger is lifted for this one update only).
INSERT INTO "issuer_logos" ("sha256", "image")
SELECT encode(sha256("logo"), 'hex'), "logo" FROM "organizations" WHERE "id" = 1 AND "logo" IS NOT NULL
ON CONFLICT DO NOTHING;

ALTER TABLE "invoices" DISABLE TRIGGER "invoices_freeze";
UPDATE "invoices"
SET "issuer" = "issuer" || jsonb_build_object('logoSha256', (SELECT encode(sha256("logo"), 'hex') FROM "organizations" WHERE "id" = 1))
WHERE "issuer" IS NOT NULL AND "issuer"->'logoSha256' IS NULL;
ALTER TABLE "invoices" ENABLE TRIGGER "invoices_freeze";
