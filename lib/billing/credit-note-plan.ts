// Pure credit note arithmetic: which lines a credit note carries and for how much, given what the invoice and its
// earlier credit notes hold. Rules (lib/billing/README.md, "Credit notes"): amounts are rounded half-even to the
// invoice currency's minor unit; a line is never credited beyond what remains of it; the invoice's credited total
// never exceeds its total.
import { BadRequestError, ConflictError } from "@/lib/api/errors";
import { dec, moneyText, roundMoney, sum, type Dec } from "./money";

export type CreditNoteRequest =
  | { kind: "full"; reason: string }
  | { kind: "lines"; reason: string; lines: ({ lineId: number; quantity: string } | { lineId: number; amount: string })[] }
  | { kind: "amount"; reason: string; amount: string; description?: string };

/** An invoice line with what earlier credit notes took from it (quantity: only credits by quantity count). */
export type CreditableLine = { id: number; description: string; quantity: Dec; amount: Dec; creditedAmount: Dec; creditedQuantity: Dec };

export type PlannedLine = { invoiceLineId: number | null; description: string; quantity: Dec | null; amount: Dec };

export type CreditContext = { invoiceNumber: string; currency: string; total: Dec; credited: Dec; lines: CreditableLine[] };

/** Display form of a credit note's number in its own series. */
export function creditNoteNumber(n: number): string {
  return `CN-${String(n).padStart(6, "0")}`;
}

/** What is still owed on an invoice: its total minus its credit notes. */
export function balanceDue(total: Dec, credited: Dec): Dec {
  return total.minus(credited);
}

function lineCredit(ctx: CreditContext, request: Extract<CreditNoteRequest, { kind: "lines" }>["lines"][number], index: number): PlannedLine {
  const path = `lines.${index}`;
  const line = ctx.lines.find((l) => l.id === request.lineId);
  if (!line) throw new BadRequestError(`Line ${request.lineId} is not a line of invoice ${ctx.invoiceNumber}`, [{ path: `${path}.lineId`, message: "not a line of this invoice" }]);
  if (!line.amount.gt(0)) {
    throw new BadRequestError(`Line ${line.id} (${line.description}) is ${moneyText(line.amount, ctx.currency)}: only charges (positive lines) can be credited by line; credit an amount instead`, [
      { path: `${path}.lineId`, message: "not a positive line" },
    ]);
  }
  const remaining = line.amount.minus(line.creditedAmount);
  const left = (what: string) => `${what} of line ${line.id} (${line.description}) remains creditable`;
  let quantity: Dec | null = null;
  let amount: Dec;
  if ("quantity" in request) {
    quantity = dec(request.quantity);
    const remainingQuantity = line.quantity.minus(line.creditedQuantity);
    if (!line.quantity.gt(0)) throw new BadRequestError(`Line ${line.id} (${line.description}) has no quantity: credit it by amount`, [{ path: `${path}.quantity`, message: "this line has no quantity" }]);
    if (quantity.gt(remainingQuantity)) throw new ConflictError(`Cannot credit ${quantity.toFixed()}: only ${left(remainingQuantity.toFixed())}`);
    // Priced at the line's average unit price; crediting the last remaining units takes exactly what is left, so
    // rounding never leaves a minor unit behind nor credits one too many.
    amount = quantity.eq(remainingQuantity) ? remaining : roundMoney(line.amount.times(quantity).div(line.quantity), ctx.currency);
  } else {
    amount = roundMoney(dec(request.amount), ctx.currency);
  }
  if (amount.gt(remaining)) throw new ConflictError(`Cannot credit ${moneyText(amount, ctx.currency)}: only ${left(moneyText(remaining, ctx.currency))}`);
  if (!amount.gt(0)) throw new BadRequestError(`The credit on line ${line.id} rounds to 0 ${ctx.currency}`, [{ path: `${path}.${quantity ? "quantity" : "amount"}`, message: "credits nothing once rounded to the currency's minor unit" }]);
  return { invoiceLineId: line.id, description: line.description, quantity, amount };
}

/** The lines of a new credit note; throws 400 on a request that cannot be right, 409 when the invoice has not enough left. */
export function planCreditNote(ctx: CreditContext, request: CreditNoteRequest): PlannedLine[] {
  const balance = balanceDue(ctx.total, ctx.credited);
  // gt(0) throughout, never isPos(): decimal.js counts 0 as positive.
  if (!balance.gt(0)) throw new ConflictError(`Invoice ${ctx.invoiceNumber} has nothing left to credit (total ${moneyText(ctx.total, ctx.currency)}, credited ${moneyText(ctx.credited, ctx.currency)})`);
  let lines: PlannedLine[];
  if (request.kind === "full") {
    // Untouched invoice: the credit note mirrors it line by line; otherwise it credits the balance in one line.
    lines = ctx.credited.isZero()
      ? ctx.lines.filter((l) => !l.amount.isZero()).map((l) => ({ invoiceLineId: l.id, description: l.description, quantity: l.quantity.isZero() ? null : l.quantity, amount: l.amount }))
      : [{ invoiceLineId: null, description: `Remaining balance of invoice ${ctx.invoiceNumber}`, quantity: null, amount: balance }];
  } else if (request.kind === "amount") {
    const amount = roundMoney(dec(request.amount), ctx.currency);
    if (!amount.gt(0)) throw new BadRequestError(`The amount rounds to 0 ${ctx.currency}`, [{ path: "amount", message: "credits nothing once rounded to the currency's minor unit" }]);
    lines = [{ invoiceLineId: null, description: request.description ?? `Credit on invoice ${ctx.invoiceNumber}`, quantity: null, amount }];
  } else {
    const ids = request.lines.map((l) => l.lineId);
    const repeated = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (repeated >= 0) throw new BadRequestError(`Line ${ids[repeated]} is listed twice`, [{ path: `lines.${repeated}.lineId`, message: "listed twice" }]);
    lines = request.lines.map((l, i) => lineCredit(ctx, l, i));
  }
  const total = sum(lines.map((l) => l.amount));
  if (total.gt(balance)) throw new ConflictError(`Cannot credit ${moneyText(total, ctx.currency)}: invoice ${ctx.invoiceNumber} has ${moneyText(balance, ctx.currency)} left to credit (total ${moneyText(ctx.total, ctx.currency)}, credited ${moneyText(ctx.credited, ctx.currency)})`);
  return lines;
}
