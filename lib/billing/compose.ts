// Pure invoice composition: rated charges + minimum spend + commitment drawdown + adjustments → lines and totals.
import { Dec, dec, roundMoney, sum, type DecInput } from "./money";
import { guaranteeCredit, type Guarantee, type Rated, type TierPiece } from "./rating";
import { computeTax, type TaxProfile, type TaxRateRow } from "./tax";

export const lineKinds = ["usage", "guarantee_credit", "minimum", "commitment", "adjustment", "late_adjustment", "tax"] as const;
export type LineKind = (typeof lineKinds)[number];

export type Line = {
  kind: LineKind;
  meterId: number | null;
  description: string;
  quantity: Dec;
  unitPrice: Dec | null;
  /** Rounded to the currency's minor unit. */
  amount: Dec;
  tiers: TierPiece[] | null;
  reason: string | null;
  usageRef: Record<string, unknown> | null;
  /** null = the organization's default category (lib/billing/tax.ts). */
  taxCategory: string | null;
  /** Set when the price included tax: the amount before tax was taken out (`amount` is then net). */
  grossAmount: Dec | null;
};

export type RatedCharge = {
  meterId: number;
  description: string;
  rated: Rated;
  usageRef: Record<string, unknown>;
  taxCategory: string | null;
  /** An outcome charge's success-rate guarantee and the period's escalation figures it is judged on. */
  guarantee?: { terms: Guarantee; agentTasks: Dec; escalated: Dec };
};

export type CommitmentState = { id: number; kind: "credits" | "spend"; balance: Dec };

export type ComposeInput = {
  currency: string;
  charges: RatedCharge[];
  minimumSpend: DecInput | null;
  commitment: CommitmentState | null;
  /** Late usage of this period already billed on other invoices (after a void and regeneration); credited back. */
  alreadyBilled?: { period: string; amount: Dec };
};

/** Display form of the sequential number given at finalization. */
export function invoiceNumber(n: number | null): string | null {
  return n === null ? null : `INV-${String(n).padStart(6, "0")}`;
}

const ADJUSTMENT_KINDS: ReadonlySet<string> = new Set(["adjustment", "late_adjustment"]);

/** The rounding rule's second half: totals are plain sums of already-rounded line amounts (tax lines included). */
export function invoiceTotals(lines: { kind: string; amount: DecInput }[]) {
  const of = (pick: (kind: string) => boolean) => sum(lines.filter((l) => pick(l.kind)).map((l) => dec(l.amount)));
  const subtotal = of((k) => k !== "tax" && !ADJUSTMENT_KINDS.has(k));
  const adjustmentsTotal = of((k) => ADJUSTMENT_KINDS.has(k));
  const taxTotal = of((k) => k === "tax");
  return { subtotal, adjustmentsTotal, taxTotal, total: subtotal.plus(adjustmentsTotal).plus(taxTotal) };
}

function line(partial: Partial<Line> & Pick<Line, "kind" | "description" | "amount">): Line {
  return { meterId: null, quantity: new Dec(0), unitPrice: null, tiers: null, reason: null, usageRef: null, taxCategory: null, grossAmount: null, ...partial };
}

export type TaxSetup = { profile: TaxProfile | null; rates: TaxRateRow[]; defaultCategory: string };

/**
 * The lines with tax taken out of tax-inclusive prices, then one tax line per rate. A line priced tax-inclusive
 * keeps its price in `grossAmount` and is taxed from it, so taxing the lines again (after an adjustment, or with a
 * changed setup) gives the same result as taxing them once.
 */
export function applyTax(lines: Line[], setup: TaxSetup, currency: string): Line[] {
  const taxable = lines.filter((l) => l.kind !== "tax");
  const { net, taxLines } = computeTax(
    taxable.map((l) => ({ kind: l.kind, amount: l.grossAmount ?? l.amount, inclusive: l.grossAmount !== null, taxCategory: l.taxCategory })),
    setup.profile,
    setup.rates,
    setup.defaultCategory,
    currency,
  );
  return [...taxable.map((l, i) => ({ ...l, amount: net[i]! })), ...taxLines.map((t) => line(t))];
}

/** Marks computed lines of a tax-inclusive rate card: their amounts are gross (finance's adjustments stay net). */
export function pricedInclusive(lines: Line[]): Line[] {
  return lines.map((l) => (l.kind === "adjustment" || l.kind === "tax" ? l : { ...l, grossAmount: l.amount }));
}

/** Lines computed from usage; `drawn` is what the period takes from the commitment (credits or money). */
export function composeUsageLines(input: ComposeInput): { lines: Line[]; drawn: Dec } {
  const { currency } = input;
  const lines = input.charges.map((c) =>
    line({
      kind: "usage",
      meterId: c.meterId,
      description: c.description,
      quantity: c.rated.quantity,
      unitPrice: c.rated.unitPrice,
      amount: roundMoney(c.rated.amount, currency),
      tiers: c.rated.tiers,
      usageRef: c.usageRef,
      taxCategory: c.taxCategory,
    }),
  );
  // A breached guarantee credits a share of its charge's (rounded) line, right after the usage lines: the plan
  // minimum and a spend commitment see the amount net of it.
  input.charges.forEach((c, i) => {
    if (!c.guarantee) return;
    const result = guaranteeCredit(c.guarantee.terms, lines[i]!.amount, c.guarantee);
    if (!result.breached) return;
    const pct = (v: Dec) => `${v.times(100).toDecimalPlaces(1).toString()} %`;
    lines.push(
      line({
        kind: "guarantee_credit",
        meterId: c.meterId,
        description: `Success-rate guarantee: escalation rate ${pct(result.rate!)} above ${pct(dec(c.guarantee.terms.maxEscalationRate))}, ${dec(c.guarantee.terms.creditPercent).toString()} % of ${c.description} credited`,
        quantity: c.guarantee.agentTasks,
        amount: roundMoney(result.credit, currency).neg(),
        usageRef: {
          ...c.usageRef,
          escalationRate: result.rate!.toString(),
          maxEscalationRate: dec(c.guarantee.terms.maxEscalationRate).toString(),
          creditPercent: dec(c.guarantee.terms.creditPercent).toString(),
          agentTasks: c.guarantee.agentTasks.toString(),
          escalated: c.guarantee.escalated.toString(),
        },
      }),
    );
  });
  const usageTotal = sum(lines.map((l) => l.amount));
  const minimum = input.minimumSpend === null ? null : dec(input.minimumSpend);
  if (minimum && usageTotal.lt(minimum)) {
    lines.push(line({ kind: "minimum", description: `Minimum spend top-up (minimum ${minimum.toFixed(2)})`, amount: roundMoney(minimum.minus(usageTotal), currency) }));
  }
  if (input.alreadyBilled) {
    // Before the commitment: a spend commitment draws only on what is still due.
    lines.push(
      line({
        kind: "late_adjustment",
        description: `Late usage for ${input.alreadyBilled.period} already billed on other invoices`,
        amount: input.alreadyBilled.amount.neg(),
        reason: "This period was voided and regenerated after its late usage had been billed elsewhere",
        usageRef: { period: input.alreadyBilled.period, alreadyBilled: true },
      }),
    );
  }
  let drawn = new Dec(0);
  const commitment = input.commitment;
  if (commitment && commitment.balance.gt(0)) {
    let value = new Dec(0);
    if (commitment.kind === "credits") {
      // Prepaid credits cover credit-priced usage first, charge by charge; the rest is overage at the plan rate.
      let remaining = commitment.balance;
      for (const c of input.charges) {
        if (!c.rated.credits || !c.rated.creditPrice) continue;
        const take = Dec.min(remaining, c.rated.credits);
        remaining = remaining.minus(take);
        drawn = drawn.plus(take);
        value = value.plus(take.times(c.rated.creditPrice));
      }
    } else {
      drawn = Dec.min(commitment.balance, Dec.max(0, sum(lines.map((l) => l.amount))));
      value = drawn;
    }
    if (drawn.gt(0)) {
      const what = commitment.kind === "credits" ? `${drawn.toString()} prepaid credits` : "prepaid spend";
      lines.push(
        line({
          kind: "commitment",
          description: `Commitment applied: ${what}`,
          quantity: drawn,
          amount: roundMoney(value, currency).neg(),
          usageRef: { commitmentId: commitment.id, kind: commitment.kind },
        }),
      );
    }
  }
  return { lines, drawn };
}
