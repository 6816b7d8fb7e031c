-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "billing_currency" CHAR(3),
ADD COLUMN     "fx_rule" TEXT NOT NULL DEFAULT 'period_end';

-- AlterTable
ALTER TABLE "invoices" ADD COLUMN     "fx" JSONB,
ALTER COLUMN "subtotal" SET DATA TYPE DECIMAL(20,4),
ALTER COLUMN "adjustments_total" SET DATA TYPE DECIMAL(20,4),
ALTER COLUMN "total" SET DATA TYPE DECIMAL(20,4);

-- AlterTable
ALTER TABLE "invoice_lines" ALTER COLUMN "amount" SET DATA TYPE DECIMAL(20,4);

