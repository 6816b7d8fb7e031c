-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "address" TEXT,
ADD COLUMN     "default_tax_category" TEXT NOT NULL DEFAULT 'standard',
ADD COLUMN     "legal_name" TEXT,
ADD COLUMN     "logo" BYTEA,
ADD COLUMN     "logo_type" TEXT,
ADD COLUMN     "payment_instructions" TEXT,
ADD COLUMN     "payment_terms_days" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "tax_id" TEXT;

-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "billing_address" TEXT,
ADD COLUMN     "billing_email" TEXT,
ADD COLUMN     "legal_name" TEXT,
ADD COLUMN     "payment_terms_days" INTEGER,
ADD COLUMN     "po_number" TEXT,
ADD COLUMN     "reverse_charge" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tax_country" CHAR(2),
ADD COLUMN     "tax_exempt" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tax_exempt_reason" TEXT,
ADD COLUMN     "tax_id" TEXT,
ADD COLUMN     "tax_region" TEXT;

-- AlterTable
ALTER TABLE "price_plans" ADD COLUMN     "prices_include_tax" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "charges" ADD COLUMN     "tax_category" TEXT;

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "bill_to" JSONB,
ADD COLUMN     "issuer" JSONB,
ADD COLUMN     "due_date" DATE,
ADD COLUMN     "issue_date" DATE,
ADD COLUMN     "payment_terms_days" INTEGER,
ADD COLUMN     "tax_total" DECIMAL(20,4) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "invoice_lines" ADD COLUMN     "gross_amount" DECIMAL(20,4),
ADD COLUMN     "tax_category" TEXT;

-- CreateTable
CREATE TABLE "tax_rates" (
    "id" SERIAL NOT NULL,
    "country" CHAR(2) NOT NULL,
    "region" TEXT,
    "category" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "rate_percent" DECIMAL(7,4) NOT NULL,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "source" TEXT NOT NULL DEFAULT 'manual',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tax_rates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tax_rates_country_category_effective_from_idx" ON "tax_rates"("country", "category", "effective_from");


-- The freeze of issued invoices (20261201060000_app_role) covers the tax total and the document's dates, terms,
-- billing and issuer details too: they are part of what was issued.
CREATE OR REPLACE FUNCTION invoice_freeze() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' THEN
    IF OLD.status <> ''draft'' THEN
      RAISE EXCEPTION ''invoice % is %: only drafts can be deleted'', OLD.id, OLD.status USING ERRCODE = ''check_violation''\073
    END IF\073
    RETURN OLD\073
  END IF\073
  IF OLD.status <> ''draft'' THEN
    IF NEW.status = ''draft'' OR (OLD.status = ''void'' AND NEW.status <> ''void'') THEN
      RAISE EXCEPTION ''invoice % is %: it cannot become %'', OLD.id, OLD.status, NEW.status USING ERRCODE = ''check_violation''\073
    END IF\073
    IF (NEW.subtotal, NEW.adjustments_total, NEW.tax_total, NEW.total, NEW.currency, NEW.number, NEW.period, NEW.period_start, NEW.period_end,
        NEW.customer_id, NEW.department_id, NEW.finalized_at, NEW.finalized_by_id, NEW.issue_date, NEW.due_date, NEW.payment_terms_days, NEW.bill_to, NEW.issuer)
       IS DISTINCT FROM
       (OLD.subtotal, OLD.adjustments_total, OLD.tax_total, OLD.total, OLD.currency, OLD.number, OLD.period, OLD.period_start, OLD.period_end,
        OLD.customer_id, OLD.department_id, OLD.finalized_at, OLD.finalized_by_id, OLD.issue_date, OLD.due_date, OLD.payment_terms_days, OLD.bill_to, OLD.issuer) THEN
      RAISE EXCEPTION ''invoice % is %: its amounts, number, period, customer and document details are frozen'', OLD.id, OLD.status USING ERRCODE = ''check_violation''\073
    END IF\073
  END IF\073
  RETURN NEW\073
END';
