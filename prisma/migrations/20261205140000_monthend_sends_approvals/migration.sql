-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "four_eyes_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "four_eyes_threshold" DECIMAL(20,4);

-- customers.billing_email: added by 20261205100000_invoice_documents_taxes with the other billing details.

-- CreateTable
CREATE TABLE "invoice_sends" (
    "id" SERIAL NOT NULL,
    "invoice_id" INTEGER NOT NULL,
    "to" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_by_id" INTEGER,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "message_id" TEXT,

    CONSTRAINT "invoice_sends_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approvals" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "subject_id" INTEGER,
    "amount" DECIMAL(20,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requested_by_id" INTEGER NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" INTEGER,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "error" TEXT,

    CONSTRAINT "approvals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "invoice_sends_invoice_id_sent_at_idx" ON "invoice_sends"("invoice_id", "sent_at");

-- CreateIndex
CREATE INDEX "approvals_status_requested_at_idx" ON "approvals"("status", "requested_at");

-- CreateIndex
CREATE INDEX "approvals_kind_subject_id_idx" ON "approvals"("kind", "subject_id");

-- AddForeignKey
ALTER TABLE "invoice_sends" ADD CONSTRAINT "invoice_sends_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_sends" ADD CONSTRAINT "invoice_sends_sent_by_id_fkey" FOREIGN KEY ("sent_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- One open request per subject: a second "finalize" of the same invoice finds the pending one instead of adding another.
CREATE UNIQUE INDEX "approvals_one_pending_per_subject" ON "approvals"("kind", "subject_id") WHERE "status" = 'pending' AND "subject_id" IS NOT NULL;
