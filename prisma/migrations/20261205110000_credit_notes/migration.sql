-- Credit notes against finalized invoices (lib/billing/credit-notes.ts).
CREATE TABLE "credit_notes" (
    "id" SERIAL NOT NULL,
    "number" INTEGER NOT NULL,
    "invoice_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'issued',
    "currency" CHAR(3) NOT NULL,
    "total" DECIMAL(20,4) NOT NULL,
    "reason" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issued_by_id" INTEGER,

    CONSTRAINT "credit_notes_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "credit_note_lines" (
    "id" SERIAL NOT NULL,
    "credit_note_id" INTEGER NOT NULL,
    "invoice_line_id" INTEGER,
    "description" TEXT NOT NULL,
    "quantity" DECIMAL(20,6),
    "amount" DECIMAL(20,4) NOT NULL,

    CONSTRAINT "credit_note_lines_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "credit_notes_number_key" ON "credit_notes"("number");
CREATE INDEX "credit_notes_invoice_id_idx" ON "credit_notes"("invoice_id");
CREATE INDEX "credit_notes_issued_at_idx" ON "credit_notes"("issued_at");
CREATE INDEX "credit_note_lines_credit_note_id_idx" ON "credit_note_lines"("credit_note_id");
CREATE INDEX "credit_note_lines_invoice_line_id_idx" ON "credit_note_lines"("invoice_line_id");

ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_credit_note_id_fkey" FOREIGN KEY ("credit_note_id") REFERENCES "credit_notes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "credit_note_lines" ADD CONSTRAINT "credit_note_lines_invoice_line_id_fkey" FOREIGN KEY ("invoice_line_id") REFERENCES "invoice_lines"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An issued credit note is a document of record: its number, invoice, currency, total and reason never change, and
-- neither it nor its lines can be deleted (as finalized invoices, migration 20261201060000_app_role).
CREATE FUNCTION credit_note_freeze() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''DELETE'' THEN
    RAISE EXCEPTION ''credit note % cannot be deleted'', OLD.number USING ERRCODE = ''check_violation''\073
  END IF\073
  IF (NEW.number, NEW.invoice_id, NEW.currency, NEW.total, NEW.reason) IS DISTINCT FROM (OLD.number, OLD.invoice_id, OLD.currency, OLD.total, OLD.reason) THEN
    RAISE EXCEPTION ''credit note %: its number, invoice, amounts and reason are frozen'', OLD.number USING ERRCODE = ''check_violation''\073
  END IF\073
  RETURN NEW\073
END';

CREATE TRIGGER credit_notes_freeze BEFORE UPDATE OR DELETE ON "credit_notes" FOR EACH ROW EXECUTE FUNCTION credit_note_freeze();

CREATE FUNCTION credit_note_lines_freeze() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''credit note lines are frozen once issued'' USING ERRCODE = ''check_violation''\073
END';

CREATE TRIGGER credit_note_lines_freeze BEFORE UPDATE OR DELETE ON "credit_note_lines" FOR EACH ROW EXECUTE FUNCTION credit_note_lines_freeze();
