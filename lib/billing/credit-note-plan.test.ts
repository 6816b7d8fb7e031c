// Credit note arithmetic as a property: whatever sequence of full, per-line and amount credits is asked for, in
// currencies with 0, 2 and 3 minor digits, every accepted credit note is rounded to the minor unit, no line is
// credited beyond its amount, the credited total never exceeds the invoice total, and balance = total − credited.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { creditNoteNumber, planCreditNote, type CreditableLine, type CreditNoteRequest } from "./credit-note-plan";
import { Dec, dec, minorDigits, sum } from "./money";

const currency = fc.constantFrom("USD", "JPY", "KWD");
const decimalText = (max: number, digits: number) => fc.integer({ min: 1, max: max * 10 ** digits }).map((n) => new Dec(n).div(10 ** digits).toString());

const request = (lineCount: number): fc.Arbitrary<CreditNoteRequest> =>
  fc.oneof(
    fc.constant<CreditNoteRequest>({ kind: "full", reason: "full" }),
    decimalText(500, 3).map<CreditNoteRequest>((amount) => ({ kind: "amount", reason: "amount", amount })),
    fc
      .array(
        fc.record({ index: fc.nat({ max: lineCount - 1 }), byQuantity: fc.boolean(), value: decimalText(200, 3) }),
        { minLength: 1, maxLength: 3 },
      )
      .map<CreditNoteRequest>((picks) => ({
        kind: "lines",
        reason: "lines",
        lines: picks.map((p) => (p.byQuantity ? { lineId: p.index + 1, quantity: p.value } : { lineId: p.index + 1, amount: p.value })),
      })),
  );

const scenario = currency.chain((code) =>
  fc
    .array(fc.record({ quantity: decimalText(1000, 2), amount: fc.integer({ min: -5000, max: 100_000 }) }), { minLength: 1, maxLength: 5 })
    // An invoice total is never below 0 (lifecycle.ts refuses such adjustments).
    .filter((lines) => lines.reduce((t, l) => t + l.amount, 0) >= 0)
    .chain((lines) => fc.tuple(fc.constant(code), fc.constant(lines), fc.array(request(lines.length), { minLength: 1, maxLength: 12 }))),
);

describe("planCreditNote", () => {
  it("keeps every line and the invoice within what can be credited, rounded to the minor unit", () => {
    fc.assert(
      fc.property(scenario, ([code, specs, requests]) => {
        const digits = minorDigits(code);
        const lines: CreditableLine[] = specs.map((s, i) => ({
          id: i + 1,
          description: `line ${i + 1}`,
          quantity: dec(s.quantity),
          amount: new Dec(s.amount).div(10 ** Math.min(digits, 2)),
          creditedAmount: new Dec(0),
          creditedQuantity: new Dec(0),
        }));
        const total = sum(lines.map((l) => l.amount));
        let credited = new Dec(0);
        for (const r of requests) {
          try {
            const planned = planCreditNote({ invoiceNumber: "INV-000001", currency: code, total, credited, lines }, r);
            const noteTotal = sum(planned.map((p) => p.amount));
            expect(noteTotal.gt(0)).toBe(true);
            for (const p of planned) {
              expect(p.amount.decimalPlaces()).toBeLessThanOrEqual(digits);
              const line = lines.find((l) => l.id === p.invoiceLineId);
              if (line) {
                line.creditedAmount = line.creditedAmount.plus(p.amount);
                if (p.quantity) line.creditedQuantity = line.creditedQuantity.plus(p.quantity);
              }
            }
            credited = credited.plus(noteTotal);
          } catch (error) {
            expect(error).toBeInstanceOf(ApiError);
            expect([400, 409]).toContain((error as ApiError).status);
          }
          expect(credited.lte(total)).toBe(true);
          for (const l of lines) {
            if (l.amount.gt(0)) expect(l.creditedAmount.lte(l.amount)).toBe(true);
            expect(l.creditedQuantity.lte(l.quantity)).toBe(true);
          }
        }
        // A final full credit takes the balance to exactly 0 (when anything was left).
        if (total.minus(credited).gt(0)) {
          const last = planCreditNote({ invoiceNumber: "INV-000001", currency: code, total, credited, lines }, { kind: "full", reason: "rest" });
          expect(credited.plus(sum(last.map((p) => p.amount))).eq(total)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("prices a quantity at the line's average price and gives the last units exactly what is left", () => {
    const line: CreditableLine = { id: 1, description: "Actions", quantity: dec(2), amount: dec("0.15"), creditedAmount: dec(0), creditedQuantity: dec(0) };
    const ctx = { invoiceNumber: "INV-000001", currency: "USD", total: dec("0.15"), credited: dec(0), lines: [line] };
    const [first] = planCreditNote(ctx, { kind: "lines", reason: "r", lines: [{ lineId: 1, quantity: "1" }] });
    expect(first!.amount.toFixed(2)).toBe("0.08"); // 0.075 half-even
    const [last] = planCreditNote({ ...ctx, credited: dec("0.08"), lines: [{ ...line, creditedAmount: dec("0.08"), creditedQuantity: dec(1) }] }, { kind: "lines", reason: "r", lines: [{ lineId: 1, quantity: "1" }] });
    expect(last!.amount.toFixed(2)).toBe("0.07");
    expect(creditNoteNumber(42)).toBe("CN-000042");
  });
});
