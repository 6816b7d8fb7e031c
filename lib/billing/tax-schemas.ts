// /api/v1/tax-rates contract, shared by the route handlers, the admin form and the OpenAPI document.
import { z } from "zod";
import { taxCategories } from "./tax";

const isoDateTime = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z" });
/** Categories a rate can be entered for ("exempt" never has a rate). */
export const ratedTaxCategories = taxCategories.filter((c) => c !== "exempt");

const fields = {
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "Use a two-letter ISO 3166-1 country code, e.g. GB").meta({ example: "GB" }),
  region: z.string().trim().min(1).max(20).nullable().optional().meta({ description: "State or province code; empty = the whole country. A region's rate wins over the country's." }),
  category: z.enum(ratedTaxCategories as [string, ...string[]]),
  name: z.string().trim().min(1, "Required").max(40).meta({ description: "Printed name, e.g. VAT, GST, Sales tax" }),
  ratePercent: z
    .string()
    .trim()
    .regex(/^\d{1,3}(\.\d{1,4})?$/, "A percentage with at most 4 decimals, e.g. 20 or 7.25")
    .refine((v) => Number(v) <= 100, "At most 100")
    .meta({ example: "20" }),
  effectiveFrom: isoDateTime,
  effectiveTo: isoDateTime.nullable().optional(),
  source: z.string().trim().min(1).max(40).default("manual").meta({ description: "manual, or the tax provider that supplied the rate" }),
};
const ordered = (v: { effectiveFrom?: string; effectiveTo?: string | null }) => !v.effectiveFrom || !v.effectiveTo || new Date(v.effectiveTo) > new Date(v.effectiveFrom);
const orderError = { message: "Must be after the start", path: ["effectiveTo"] };

export const taxRateCreate = z.strictObject(fields).refine(ordered, orderError);
export const taxRateUpdate = z.strictObject({ ...fields, source: fields.source.optional() }).partial().refine(ordered, orderError);

export const taxRateView = z
  .strictObject({
    id: z.number().int(),
    country: z.string(),
    region: z.string().nullable(),
    category: z.string(),
    name: z.string(),
    ratePercent: z.string(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    source: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "TaxRate" });
export const taxRateList = z.strictObject({ items: z.array(taxRateView) });

export type TaxRateCreate = z.input<typeof taxRateCreate>;
