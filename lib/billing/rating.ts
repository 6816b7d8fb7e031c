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
  const quantity = dec(metered);
  // Markup passes underlying cost through: a period whose refunds exceed its cost is credited (a negative line).
  // Every other model prices units, which cannot be negative.
  if (quantity.isNeg() && spec.model !== "markup") throw new ChargeConfigError("metered quantity is negative");
  const billable = quantity.isNeg() ? quantity : Dec.max(0, quantity.minus(dec(spec.freeUnits ?? 0)));
  const base = { quantity, billable, tiers: null, credits: null, creditPrice: null };
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
