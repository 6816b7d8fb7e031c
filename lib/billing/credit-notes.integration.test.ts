// Credit notes against real PostgreSQL: numbering and over-credit under concurrency, per-line limits, the invoice's
// credited and balance due, void refused once credited, department scope, the PDF, and the FOCUS correction rows.
import { parse } from "csv-parse/sync";
import { PDFParse } from "pdf-parse";
import { beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { seedBasics } from "@/tests/helpers/db";
import { invoiceTotals } from "./compose";
import { creditNotePdf } from "./credit-note-pdf";
import { getCreditNote, issueCreditNote, listCreditNotes } from "./credit-notes";
import { focusCsv } from "./focus";
import { focusProblems, type FocusRow } from "./focus-conformance";
import { voidInvoice } from "./lifecycle";
import { dec, sum } from "./money";
import { getInvoice } from "./queries";

const finance: UserCaller = { kind: "user", id: 1, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };
let scoped: UserCaller;

let invoiceNumber = 0;
let customers = 0;
type LineSpec = { kind?: string; description: string; quantity?: string; amount: string };

/** A finalized invoice of October 2026 with the given lines. */
async function finalized(lines: LineSpec[], currency = "USD", status: "finalized" | "draft" = "finalized") {
  const customer = await db.customer.create({ data: { key: `c${++customers}`, name: `Customer ${customers}` } });
  const t = invoiceTotals(lines.map((l) => ({ kind: l.kind ?? "usage", amount: l.amount })));
  // Created as a draft, then finalized: a trigger freezes a finalized invoice's lines.
  const draft = await db.invoice.create({
    data: {
      customerId: customer.id,
      period: "2026-10",
      periodStart: new Date("2026-10-01T00:00:00Z"),
      periodEnd: new Date("2026-11-01T00:00:00Z"),
      currency,
      subtotal: t.subtotal.toString(),
      adjustmentsTotal: t.adjustmentsTotal.toString(),
      total: t.total.toString(),
      lines: { create: lines.map((l) => ({ kind: l.kind ?? "usage", description: l.description, quantity: l.quantity ?? "0", amount: l.amount })) },
    },
  });
  return db.invoice.update({
    where: { id: draft.id },
    data: status === "finalized" ? { status, number: ++invoiceNumber, finalizedAt: new Date("2026-11-02T00:00:00Z") } : {},
    include: { lines: { orderBy: { id: "asc" } } },
  });
}

const status = (p: Promise<unknown>) => p.then(() => 201, (e: unknown) => (e instanceof ApiError ? e.status : Promise.reject(e)));

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'finance@test', 'Finance', 'finance', now()) ON CONFLICT DO NOTHING");
  const support = await db.department.create({ data: { code: "SUPPORT", name: "Support" } });
  scoped = { kind: "user", id: 1, email: "scoped@test", name: "Scoped", role: "viewer", departmentIds: [support.id] };
});

describe("numbering and over-credit under concurrency", () => {
  it("numbers 20 parallel credit notes 1..20 with no gap and no duplicate", async () => {
    const invoice = await finalized([{ description: "Agent actions", quantity: "1000", amount: "1000.00" }]);
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => issueCreditNote(invoice.id, { kind: "amount", reason: `Goodwill ${i}`, amount: "10" }, finance)));
    const notes = await db.creditNote.findMany({ where: { id: { in: ids } }, orderBy: { number: "asc" } });
    expect(notes.map((n) => n.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const detail = await getInvoice(finance, invoice.id);
    expect(detail).toMatchObject({ total: "1000.00", credited: "200.00", balanceDue: "800.00" });
    expect(detail.creditNotes.map((n) => n.number)).toEqual(Array.from({ length: 20 }, (_, i) => `CN-${String(i + 1).padStart(6, "0")}`));
    expect(await db.auditLog.count({ where: { action: "credit_note.issue" } })).toBe(20);
  });

  it("lets concurrent credit notes take the invoice to its total and never past it", async () => {
    const invoice = await finalized([{ description: "Conversations", quantity: "400", amount: "100.00" }]);
    const results = await Promise.all(Array.from({ length: 10 }, () => status(issueCreditNote(invoice.id, { kind: "amount", reason: "Outage credit", amount: "30" }, finance))));
    expect(results.filter((s) => s === 201)).toHaveLength(3);
    expect(results.filter((s) => s === 409)).toHaveLength(7);
    expect(await status(issueCreditNote(invoice.id, { kind: "amount", reason: "One cent too many", amount: "10.01" }, finance))).toBe(409);
    await issueCreditNote(invoice.id, { kind: "amount", reason: "The rest", amount: "10.00" }, finance);
    expect(await getInvoice(finance, invoice.id)).toMatchObject({ credited: "100.00", balanceDue: "0.00" });
    await expect(issueCreditNote(invoice.id, { kind: "full", reason: "Again" }, finance)).rejects.toThrow(/nothing left to credit/);
    // The numbers stay gapless although 8 requests failed.
    const numbers = (await db.creditNote.findMany({ select: { number: true }, orderBy: { number: "asc" } })).map((n) => n.number);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
  });
});

describe("per-line credits", () => {
  it("credits units at the line's average price, never beyond what remains of a line", async () => {
    const invoice = await finalized([
      { description: "Small", quantity: "2", amount: "0.15" },
      { description: "Agent actions", quantity: "1507", amount: "55.21" },
      { kind: "commitment", description: "Prepaid drawdown", quantity: "100", amount: "-5.00" },
    ]);
    const [small, actions, commitment] = invoice.lines as [(typeof invoice.lines)[0], (typeof invoice.lines)[0], (typeof invoice.lines)[0]];
    const lines = (l: ({ lineId: number; quantity: string } | { lineId: number; amount: string })[]) => ({ kind: "lines" as const, reason: "Wrong rate", lines: l });

    const first = await getCreditNote(finance, await issueCreditNote(invoice.id, lines([{ lineId: small.id, quantity: "1" }, { lineId: actions.id, quantity: "1000" }]), finance));
    expect(first.lines.map((l) => [l.invoiceLineId, l.quantity, l.amount])).toEqual([[small.id, "1", "0.08"], [actions.id, "1000", "36.64"]]); // 0.075 half-even; 36.6357…
    expect(first.total).toBe("36.72");
    // The last unit of a line takes exactly what is left of it.
    const second = await getCreditNote(finance, await issueCreditNote(invoice.id, lines([{ lineId: small.id, quantity: "1" }]), finance));
    expect(second.total).toBe("0.07");

    expect(await status(issueCreditNote(invoice.id, lines([{ lineId: small.id, quantity: "0.5" }]), finance))).toBe(409);
    await expect(issueCreditNote(invoice.id, lines([{ lineId: actions.id, amount: "18.58" }]), finance)).rejects.toThrow(/only 18\.57 of line/);
    expect(await status(issueCreditNote(invoice.id, lines([{ lineId: commitment.id, amount: "1" }]), finance))).toBe(400);
    expect(await status(issueCreditNote(invoice.id, lines([{ lineId: 999999, amount: "1" }]), finance))).toBe(400);
    expect(await status(issueCreditNote(invoice.id, lines([{ lineId: actions.id, amount: "1" }, { lineId: actions.id, amount: "1" }]), finance))).toBe(400);
    // The line has 18.57 left, but the invoice only 13.57 (the commitment line lowered its total): the total binds.
    await expect(issueCreditNote(invoice.id, lines([{ lineId: actions.id, amount: "18.57" }]), finance)).rejects.toThrow(/has 13\.57 left to credit/);
    await issueCreditNote(invoice.id, lines([{ lineId: actions.id, amount: "13.57" }]), finance);
    expect(await status(issueCreditNote(invoice.id, lines([{ lineId: actions.id, quantity: "1" }]), finance))).toBe(409);

    // Balance arithmetic: total − the credit notes' sum, as the API writes it.
    const detail = await getInvoice(finance, invoice.id);
    const credited = sum(detail.creditNotes.map((n) => dec(n.total)));
    expect(detail.credited).toBe(credited.toFixed(2));
    expect(detail.balanceDue).toBe(dec(detail.total).minus(credited).toFixed(2));
    expect(detail).toMatchObject({ total: "50.36", credited: "50.36", balanceDue: "0.00" });
  });
});

describe("lifecycle, scope and documents", () => {
  it("credits finalized invoices only, and refuses to void one that has credit notes", async () => {
    const draft = await finalized([{ description: "Actions", quantity: "1", amount: "10.00" }], "USD", "draft");
    await expect(issueCreditNote(draft.id, { kind: "full", reason: "Not yet" }, finance)).rejects.toThrow(/draft; credit notes are issued against finalized invoices only/);
    expect(await status(issueCreditNote(999999, { kind: "full", reason: "Missing" }, finance))).toBe(404);

    const credited = await finalized([{ description: "Actions", quantity: "10", amount: "20.00" }]);
    const full = await getCreditNote(finance, await issueCreditNote(credited.id, { kind: "full", reason: "Billed the wrong customer" }, finance));
    expect(full.lines.map((l) => [l.description, l.quantity, l.amount])).toEqual([["Actions", "10", "20.00"]]);
    await expect(voidInvoice(credited.id, "Mistake", finance)).rejects.toThrow(new RegExp(`has credit notes \\(${full.number}\\) and cannot be voided: issue a credit note`));
    expect((await getInvoice(finance, credited.id)).status).toBe("finalized");

    const untouched = await finalized([{ description: "Actions", quantity: "1", amount: "5.00" }]);
    await voidInvoice(untouched.id, "Never sent", finance);
    expect(await status(issueCreditNote(untouched.id, { kind: "full", reason: "Void" }, finance))).toBe(409);
    // The database keeps an issued credit note as it was issued.
    await expect(pool.query("UPDATE credit_notes SET total = 1 WHERE id = $1", [full.id])).rejects.toThrow(/frozen/);
    await expect(pool.query("DELETE FROM credit_note_lines WHERE credit_note_id = $1", [full.id])).rejects.toThrow(/frozen/);
    expect((await getInvoice(finance, untouched.id)).balanceDue).toBe("0.00");
  });

  it("hides credit notes from department-scoped users (403), like invoices", async () => {
    const [note] = await listCreditNotes(finance, {});
    expect(await status(listCreditNotes(scoped, {}))).toBe(403);
    expect(await status(getCreditNote(scoped, note!.id))).toBe(403);
    expect(await status(issueCreditNote(note!.invoice.id, { kind: "amount", reason: "Scoped", amount: "1" }, { ...scoped, role: "finance" }))).toBe(403);
  });

  it("rounds to the invoice currency's minor unit and prints a PDF", async () => {
    const yen = await finalized([{ description: "Agent actions", quantity: "3", amount: "1000" }], "JPY");
    const note = await getCreditNote(finance, await issueCreditNote(yen.id, { kind: "lines", reason: "Duplicate events", lines: [{ lineId: yen.lines[0]!.id, quantity: "1" }] }, finance));
    expect(note).toMatchObject({ currency: "JPY", total: "333" }); // 333.33… → 333
    expect((await listCreditNotes(finance, { customer: (await db.customer.findUniqueOrThrow({ where: { id: yen.customerId! } })).key })).map((n) => n.id)).toEqual([note.id]);
    const parser = new PDFParse({ data: new Uint8Array(await creditNotePdf(note, "Test Org")) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain(`Credit note ${note.number}`);
    expect(text).toContain("Reason: Duplicate events");
    expect(text).toMatch(/Total credited \(JPY\)\s+¥333/);
  });

  it("exports credit notes to FOCUS as negative Correction rows of the credited period", async () => {
    // Issued today: move all of them into November 2026, and the first one to December.
    await db.creditNote.updateMany({ data: { issuedAt: new Date("2026-11-15T12:00:00Z") } });
    const december = (await db.creditNote.findFirstOrThrow({ orderBy: { number: "asc" } })).id;
    await db.creditNote.update({ where: { id: december }, data: { issuedAt: new Date("2026-12-01T00:00:00Z") } });
    for (const version of ["1.3", "1.2"] as const) {
      const csv = await focusCsv(finance, "2026-11", version);
      const rows = parse(csv, { columns: true }) as FocusRow[];
      expect(focusProblems(csv.split("\r\n")[0]!.split(","), rows, version)).toEqual([]);
      const credits = rows.filter((r) => r.x_AllocationKind === "credit_note");
      expect(credits).toHaveLength((await db.creditNote.count()) - 1);
      for (const r of credits) {
        expect(r).toMatchObject({ ChargeCategory: "Credit", ChargeClass: "Correction", ChargePeriodStart: "2026-10-01T00:00:00Z", ChargePeriodEnd: "2026-11-01T00:00:00Z", BillingPeriodStart: "2026-11-01T00:00:00Z" });
        expect(r.BilledCost!.startsWith("-")).toBe(true);
      }
      const issued = await db.creditNote.aggregate({ where: { id: { not: december }, currency: "USD" }, _sum: { total: true } });
      expect(sum(credits.filter((r) => r.BillingCurrency === "USD").map((r) => dec(r.BilledCost!))).toFixed(2)).toBe(dec(issued._sum.total).negated().toFixed(2));
    }
    const yenRow = (parse(await focusCsv(finance, "2026-11"), { columns: true }) as FocusRow[]).find((r) => r.BillingCurrency === "JPY");
    expect(yenRow).toMatchObject({ BilledCost: "-333", ChargeFrequency: "One-Time" });
    expect(await focusCsv(scoped, "2026-11")).not.toContain("credit_note");
  });
});
