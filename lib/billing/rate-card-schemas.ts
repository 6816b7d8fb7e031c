// /api/v1/rate-cards contract: price plan versions and their charges. Shared by the route handlers, the admin
// editor (no server-only imports: the browser bundles this file) and the OpenAPI document, so both report the same
// field errors. Bounds are the charges table's column types (prisma/schema.prisma).
import { z } from "zod";
import { currencyCode } from "@/lib/currency/schemas";
import { decimalInput } from "@/lib/decimal-input";
import { chargeModels } from "./rating";
import { taxCategories } from "./tax";

const unitPrice = decimalInput({ precision: 18, scale: 8 });
const quantity = decimalInput({ precision: 18, scale: 6 });
const amount = decimalInput({ precision: 18, scale: 2 });
const isoDateTime = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z" });

const tier = z.strictObject({
  upTo: quantity.nullable().meta({ description: "Inclusive upper bound; null = open-ended (last tier only)" }),
  unitPrice,
  flatFee: amount.optional(),
});

/** A charge's price fields, also what a pricing simulation may change (simulation-schemas.ts). */
export const chargePriceFields = {
  unitPrice: unitPrice.nullable().optional().meta({ description: "per_unit, package (price of one package), credits not" }),
  tiers: z.array(tier).min(1, "At least one tier").max(50).nullable().optional().meta({ description: "graduated and volume" }),
  packageSize: quantity.nullable().optional(),
  markupPercent: decimalInput({ precision: 9, scale: 4 }).nullable().optional(),
  creditsPerUnit: quantity.nullable().optional(),
  creditPackSize: amount.nullable().optional(),
  creditPackPrice: amount.nullable().optional(),
  freeUnits: quantity.nullable().optional(),
};

const chargeFields = {
  meter: z.string().trim().min(1, "Required").max(64).meta({ description: "Meter key" }),
  model: z.enum(chargeModels),
  ...chargePriceFields,
  minimumAmount: amount.nullable().optional().meta({ description: "Monthly floor on this charge's amount (rate card currency)" }),
  maximumAmount: amount.nullable().optional().meta({ description: "Monthly cap on this charge's amount (rate card currency)" }),
  guaranteeMaxEscalationRate: decimalInput({ precision: 7, scale: 6 }, { max: 1 })
    .nullable()
    .optional()
    .meta({ description: "Success-rate guarantee (task meters): the agreed escalation rate as a ratio (0.15 = 15 %)" }),
  guaranteeCreditPercent: decimalInput({ precision: 7, scale: 4 }, { max: 100 })
    .nullable()
    .optional()
    .meta({ description: "Percent of the charge credited when the escalation rate is above the agreed level" }),
  taxCategory: z.enum(taxCategories).nullable().optional().meta({ description: "null = the organization's default tax category" }),
};

type ChargeInput = { [K in keyof typeof chargeFields]?: z.output<(typeof chargeFields)[K]> };

/** Which price fields each model uses; any other price field given is an error (it would be silently ignored). */
const modelFields: Record<(typeof chargeModels)[number], readonly (keyof ChargeInput)[]> = {
  per_unit: ["unitPrice"],
  graduated: ["tiers"],
  volume: ["tiers"],
  package: ["unitPrice", "packageSize"],
  markup: ["markupPercent"],
  credits: ["creditsPerUnit", "creditPackSize", "creditPackPrice"],
};
const priceFields = ["unitPrice", "tiers", "packageSize", "markupPercent", "creditsPerUnit", "creditPackSize", "creditPackPrice"] as const;
const positive = new Set<keyof ChargeInput>(["packageSize", "creditPackSize"]);

/** Rules across a charge's fields, on the charge as it will be stored (an edit is checked merged with the stored charge). */
export function chargeRules(c: ChargeInput, ctx: z.RefinementCtx, at: (string | number)[] = []) {
  const issue = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [...at, field], message });
  if (!c.model) return;
  const used = modelFields[c.model];
  for (const f of priceFields) {
    const set = c[f] !== null && c[f] !== undefined;
    if (used.includes(f) && !set) issue(f, `Required for a ${c.model} charge`);
    if (!used.includes(f) && set) issue(f, `A ${c.model} charge does not use ${f}; leave it empty`);
    if (set && positive.has(f) && !(Number(c[f]) > 0)) issue(f, "Must be above 0");
  }
  const tiers = c.tiers ?? [];
  tiers.forEach((t, i) => {
    if (t.upTo === null && i !== tiers.length - 1) issue("tiers", `Tier ${i + 1}: only the last tier may be open-ended`);
    const prev = tiers[i - 1]?.upTo;
    if (t.upTo !== null && prev != null && !(Number(t.upTo) > Number(prev))) issue("tiers", `Tier ${i + 1}: upTo must be above the previous tier's`);
  });
  if (tiers.length > 0 && tiers.at(-1)!.upTo !== null) issue("tiers", "The last tier must be open-ended (upTo null), so every quantity has a price");
  if (c.minimumAmount != null && c.maximumAmount != null && Number(c.minimumAmount) > Number(c.maximumAmount)) issue("maximumAmount", "Must be at least the floor (minimumAmount)");
  const rate = c.guaranteeMaxEscalationRate != null;
  const credit = c.guaranteeCreditPercent != null;
  if (rate && !credit) issue("guaranteeCreditPercent", "Required with guaranteeMaxEscalationRate: the percent credited on a breach");
  if (credit && !rate) issue("guaranteeMaxEscalationRate", "Required with guaranteeCreditPercent: the agreed escalation rate");
}

export const chargeInput = z.strictObject(chargeFields).superRefine((c, ctx) => chargeRules(c, ctx));
/** An edit of one charge: any field but the meter; checked merged with the stored charge. */
export const chargeUpdate = z.strictObject(chargeFields).omit({ meter: true }).partial();

const planFields = {
  name: z.string().trim().min(1, "Required").max(200),
  minimumSpend: amount.nullable().optional().meta({ description: "Minimum spend per period (a top-up line); null = none" }),
  pricesIncludeTax: z.boolean().meta({ description: "Prices include tax (extracted per line); false = tax is added on top" }),
  effectiveFrom: isoDateTime.meta({
    description: "The version prices every period starting at or after this instant; it must be after the start of every finalized period the rate card priced",
  }),
};

export const rateCardCreate = z
  .strictObject({
    key: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "Use 1–64 lowercase letters, digits, '.', '_' or '-'").meta({ description: "Rate card key; an existing key gets its next version" }),
    currency: currencyCode,
    ...planFields,
    pricesIncludeTax: planFields.pricesIncludeTax.default(false),
    charges: z.array(chargeInput).max(100),
  })
  .superRefine((card, ctx) => {
    const seen = new Map<string, number>();
    card.charges.forEach((c, i) => {
      const first = seen.get(c.meter);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["charges", i, "meter"], message: `Meter ${c.meter} is already priced by charge ${first + 1}` });
      else seen.set(c.meter, i);
    });
  });
export const rateCardUpdate = z.strictObject(planFields).partial();

const chargeKeys = Object.keys(chargeFields) as (keyof typeof chargeFields)[];
/** A stored charge as the API takes it (a copy into a new version, or the base an edit is merged with); nulls left out. */
export function chargeInputOf(c: ChargeView): Record<string, unknown> {
  return Object.fromEntries(chargeKeys.flatMap((k) => (c[k] === null || c[k] === undefined ? [] : [[k, c[k]]])));
}

export const rateCardParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const chargeParams = z.strictObject({ id: z.coerce.number().int().positive(), chargeId: z.coerce.number().int().positive() });

const dec = z.string().nullable();
export const chargeView = z
  .strictObject({
    id: z.number().int(),
    meter: z.string(),
    meterName: z.string(),
    meterSource: z.string(),
    model: z.enum(chargeModels),
    unitPrice: dec,
    tiers: z.array(z.strictObject({ upTo: z.string().nullable(), unitPrice: z.string(), flatFee: z.string().optional() })).nullable(),
    packageSize: dec,
    markupPercent: dec,
    creditsPerUnit: dec,
    creditPackSize: dec,
    creditPackPrice: dec,
    freeUnits: dec,
    minimumAmount: dec,
    maximumAmount: dec,
    guaranteeMaxEscalationRate: dec,
    guaranteeCreditPercent: dec,
    taxCategory: z.enum(taxCategories).nullable(),
  })
  .meta({ id: "Charge" });

export const rateCardView = z
  .strictObject({
    id: z.number().int(),
    key: z.string(),
    version: z.number().int(),
    name: z.string(),
    currency: z.string(),
    minimumSpend: dec,
    pricesIncludeTax: z.boolean(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    lockedBy: z.array(z.string()).meta({ description: "Finalized invoices this version priced (at most 10); a version that priced one cannot be edited: create a new version" }),
    charges: z.array(chargeView),
  })
  .meta({ id: "RateCard" });

export const rateCardList = z.strictObject({ items: z.array(rateCardView) });

export type RateCardCreate = z.input<typeof rateCardCreate>;
export type RateCardView = z.infer<typeof rateCardView>;
export type ChargeView = z.infer<typeof chargeView>;
