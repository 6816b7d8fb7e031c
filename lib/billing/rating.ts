// Pure rating: one charge model applied to one metered quantity. No I/O, exact decimals, amounts unrounded
// (invoice lines round them; see money.ts). Tier bounds are inclusive: `upTo: 1000` covers units 1..1000.
import { Dec, dec, type DecInput } from "./money";

export const chargeModels = ["per_unit", "graduated", "volume", "package", "markup", "credits"] as const;
export type ChargeModel = (typeof chargeModels)[number];

export type Tier = { upTo: DecInput | null; unitPrice: DecInput; flatFee?: DecInput | null };

export type ChargeSpec = {
  model: ChargeModel;
  /** per_unit: price per unit; package: price per package. */
  unitPrice?: DecInput | null;
  tiers?: Tier[] | null;
  packageSize?: DecInput | null;
  markupPercent?: DecInput | null;
  creditsPerUnit?: DecInput | null;
  creditPackSize?: DecInput | null;
  creditPackPrice?: DecInput | null;
  /** Units given away each period before any pricing. */
  freeUnits?: DecInput | null;
  /** Monthly floor and cap on the charge's amount, applied after the model (a floor applies with no usage too). */
  minimumAmount?: DecInput | null;
  maximumAmount?: DecInput | null;
};

export type TierPiece = { from: string; upTo: string | null; quantity: string; unitPrice: string; flatFee: string; amount: string };

export type Rated = {
  /** Metered quantity and the part left after free units. */
  quantity: Dec;
  billable: Dec;
  /** Exact, unrounded. */
  amount: Dec;
  /** Effective price of one billable unit, for display; null when tiers or packages make it meaningless. */
  unitPrice: Dec | null;
  tiers: TierPiece[] | null;
  /** credits model only: credits burned and the price of one credit. */
  credits: Dec | null;
  creditPrice: Dec | null;
  /** Set when the charge's floor or cap changed the amount: which one, and the amount the model gave. */
  limit: { applied: "floor" | "cap"; modelAmount: Dec } | null;
};

export class ChargeConfigError extends Error {}

function required(value: DecInput | null | undefined, field: string, model: ChargeModel): Dec {
  if (value === null || value === undefined) throw new ChargeConfigError(`${model} charge needs ${field}`);
  return dec(value);
}

function tiersOf(spec: ChargeSpec): { upTo: Dec | null; unitPrice: Dec; flatFee: Dec }[] {
  const tiers = spec.tiers ?? [];
  if (tiers.length === 0) throw new ChargeConfigError(`${spec.model} charge needs tiers`);
  return tiers.map((t, i) => {
    if (t.upTo === null && i !== tiers.length - 1) throw new ChargeConfigError("only the last tier may be open-ended");
    return { upTo: t.upTo === null ? null : dec(t.upTo), unitPrice: dec(t.unitPrice), flatFee: dec(t.flatFee ?? 0) };
  });
}

/** Each tier prices only the units that fall inside it; a tier's flat fee applies once any unit reaches it. */
function graduated(spec: ChargeSpec, q: Dec) {
  const pieces: TierPiece[] = [];
  let amount = new Dec(0);
  let from = new Dec(0);
  for (const tier of tiersOf(spec)) {
    const top = tier.upTo === null ? q : Dec.min(q, tier.upTo);
    const units = Dec.max(0, top.minus(from));
    if (units.gt(0)) {
      const piece = units.times(tier.unitPrice).plus(tier.flatFee);
      amount = amount.plus(piece);
      pieces.push(piece_(from, tier, units, piece));
    }
    if (tier.upTo === null || q.lte(tier.upTo)) break;
    from = tier.upTo;
  }
  return { amount, pieces };
}

/** The tier the whole quantity falls into prices every unit. */
function volume(spec: ChargeSpec, q: Dec) {
  if (q.isZero()) return { amount: new Dec(0), pieces: [] as TierPiece[] };
  let from = new Dec(0);
  for (const tier of tiersOf(spec)) {
    if (tier.upTo === null || q.lte(tier.upTo)) {
      const amount = q.times(tier.unitPrice).plus(tier.flatFee);
      return { amount, pieces: [piece_(from, tier, q, amount)] };
    }
    from = tier.upTo;
  }
  throw new ChargeConfigError(`volume tiers end below ${q.toString()} units: make the last tier open-ended`);
}

function piece_(from: Dec, tier: { upTo: Dec | null; unitPrice: Dec; flatFee: Dec }, units: Dec, amount: Dec): TierPiece {
  return {
    from: from.toString(),
    upTo: tier.upTo === null ? null : tier.upTo.toString(),
    quantity: units.toString(),
    unitPrice: tier.unitPrice.toString(),
    flatFee: tier.flatFee.toString(),
    amount: amount.toString(),
  };
}

export function rateCharge(spec: ChargeSpec, metered: DecInput): Rated {
  const rated = rateModel(spec, metered);
  const floor = spec.minimumAmount == null ? null : dec(spec.minimumAmount);
  const cap = spec.maximumAmount == null ? null : dec(spec.maximumAmount);
  if (floor && cap && floor.gt(cap)) throw new ChargeConfigError("minimumAmount is above maximumAmount");
  // The price of one unit no longer explains a floored or capped amount, so it is not shown.
  if (floor && rated.amount.lt(floor)) return { ...rated, amount: floor, unitPrice: null, limit: { applied: "floor", modelAmount: rated.amount } };
  if (cap && rated.amount.gt(cap)) return { ...rated, amount: cap, unitPrice: null, limit: { applied: "cap", modelAmount: rated.amount } };
  return rated;
}

function rateModel(spec: ChargeSpec, metered: DecInput): Rated {
  const quantity = dec(metered);
  // Markup passes underlying cost through: a period whose refunds exceed its cost is credited (a negative line).
  // Every other model prices units, which cannot be negative.
  if (quantity.isNeg() && spec.model !== "markup") throw new ChargeConfigError("metered quantity is negative");
  const billable = quantity.isNeg() ? quantity : Dec.max(0, quantity.minus(dec(spec.freeUnits ?? 0)));
  const base = { quantity, billable, tiers: null, credits: null, creditPrice: null, limit: null };
  switch (spec.model) {
    case "per_unit": {
      const price = required(spec.unitPrice, "unitPrice", spec.model);
      return { ...base, amount: billable.times(price), unitPrice: price };
    }
    case "graduated":
    case "volume": {
      const { amount, pieces } = spec.model === "graduated" ? graduated(spec, billable) : volume(spec, billable);
      return { ...base, amount, unitPrice: null, tiers: pieces };
    }
    case "package": {
      const size = required(spec.packageSize, "packageSize", spec.model);
      if (!size.gt(0)) throw new ChargeConfigError("packageSize must be positive");
      const price = required(spec.unitPrice, "unitPrice", spec.model);
      return { ...base, amount: billable.div(size).ceil().times(price), unitPrice: null };
    }
    case "markup": {
      // The meter measures underlying cost; the customer pays it plus the markup.
      const factor = dec(1).plus(required(spec.markupPercent, "markupPercent", spec.model).div(100));
      return { ...base, amount: billable.times(factor), unitPrice: factor };
    }
    case "credits": {
      // Credits are sold in packs (e.g. $500 per 100,000); usage is charged pro rata at the pack's per-credit price.
      const packSize = required(spec.creditPackSize, "creditPackSize", spec.model);
      if (!packSize.gt(0)) throw new ChargeConfigError("creditPackSize must be positive");
      const creditPrice = required(spec.creditPackPrice, "creditPackPrice", spec.model).div(packSize);
      const credits = billable.times(required(spec.creditsPerUnit, "creditsPerUnit", spec.model));
      return { ...base, amount: credits.times(creditPrice), unitPrice: creditPrice.times(dec(spec.creditsPerUnit)), credits, creditPrice };
    }
  }
}

/** Success-rate guarantee of an outcome charge: above `maxEscalationRate` (a ratio), `creditPercent` % is credited. */
export type Guarantee = { maxEscalationRate: DecInput; creditPercent: DecInput };

export type GuaranteeResult = {
  /** Escalated ÷ agent-handled tasks, exact; null without an agent-handled task (nothing to guarantee). */
  rate: Dec | null;
  breached: boolean;
  /** Positive amount to credit, unrounded: creditPercent % of `chargeAmount` when breached, else 0. */
  credit: Dec;
};

/**
 * The credit a guarantee gives for one period. The rate is the one the workload page shows (escalated agent tasks ÷
 * agent tasks, lib/analytics/figures.ts), compared exactly: a rate equal to the agreed level is not a breach.
 */
export function guaranteeCredit(guarantee: Guarantee, chargeAmount: DecInput, stats: { agentTasks: DecInput; escalated: DecInput }): GuaranteeResult {
  const max = dec(guarantee.maxEscalationRate);
  const percent = dec(guarantee.creditPercent);
  if (max.isNeg() || max.gt(1)) throw new ChargeConfigError("guarantee maxEscalationRate must be between 0 and 1");
  if (percent.isNeg() || percent.gt(100)) throw new ChargeConfigError("guarantee creditPercent must be between 0 and 100");
  const tasks = dec(stats.agentTasks);
  if (!tasks.gt(0)) return { rate: null, breached: false, credit: new Dec(0) };
  const rate = dec(stats.escalated).div(tasks);
  const breached = rate.gt(max);
  return { rate, breached, credit: breached ? dec(chargeAmount).times(percent).div(100) : new Dec(0) };
}
