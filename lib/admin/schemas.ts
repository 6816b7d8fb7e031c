// Request schemas for the admin API, shared by the route handlers and the admin forms (so both report the
// same field errors). No server-only imports here: the browser bundles this file.
import { z } from "zod";
import { isActiveCurrency } from "@/lib/currency/iso4217";
import { taxCategories } from "@/lib/billing/tax";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";
import { retentionSettingsInput } from "@/lib/retention/schemas";

export const roles = ["admin", "finance", "ops", "viewer"] as const;
export const apiKeyScopeValues = ["ingest", "read", "check"] as const;
/** Which OTLP signal counts a key's usage (docs/formats.md, "One source, traces and metrics"). */
export const usageSourceValues = ["traces", "metrics"] as const;
export const agentStatuses = ["active", "paused", "retired"] as const;
/** How the agent's platform bills it: per action or per outcome (Agentforce agent versions' billingMode). */
export const agentBillingModes = ["action", "outcome"] as const;

const key = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "Use 1–64 lowercase letters, digits, '.', '_' or '-'");
const name = z.string().trim().min(1, "Required").max(200);
const optionalText = z.string().trim().max(200).nullable().optional();
const currency = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code, e.g. USD");
const isoDateTime = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z" });
const id = z.coerce.number().int().positive();

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const idParams = z.strictObject({ id });

// Users. Without a password the user is invited: they sign in through SSO with this email.
export const userCreate = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address")),
  name,
  role: z.enum(roles),
  departmentIds: z.array(id).max(100).default([]),
  password: z.string().min(12, "At least 12 characters").max(200).optional(),
});
export const userUpdate = z.strictObject({
  name: name.optional(),
  role: z.enum(roles).optional(),
  active: z.boolean().optional(),
  departmentIds: z.array(id).max(100).optional(),
  password: z.string().min(12, "At least 12 characters").max(200).optional(),
});

// API keys. The secret is returned once by the create call and never again.
export const apiKeyCreate = z.strictObject({
  name,
  scopes: z.array(z.enum(apiKeyScopeValues)).min(1, "Pick at least one scope").max(3),
  rateLimitPerMinute: z.number().int().min(1).max(1_000_000).nullable().optional(),
  source: key.optional(),
  // Ingestion bindings (empty = any) and limits; new keys may neither create agents/customers nor backdate.
  allowedAgents: z.array(key).max(100).default([]),
  allowedDepartments: z.array(z.string().trim().min(1).max(64)).max(100).default([]),
  allowedCustomers: z.array(key).max(100).default([]),
  maxCostPerEvent: z
    .string()
    .trim()
    .regex(/^\d{1,10}(\.\d{1,10})?$/, "Enter a positive amount with at most 10 digits before and after the point, e.g. 5.00")
    .refine((v) => Number(v) > 0, "Must be more than 0")
    .nullable()
    .optional(),
  mayCreateEntities: z.boolean().default(false),
  mayWriteFinalized: z.boolean().default(false),
  usageSource: z.enum(usageSourceValues).default("traces"),
});

// A key's settings that may change after creation.
export const apiKeyUpdate = z.strictObject({ usageSource: z.enum(usageSourceValues) });

// Agents.
const agentFields = {
  name,
  platform: z.string().trim().min(1).max(64),
  model: optionalText,
  departmentId: id.nullable().optional(),
  shared: z.boolean(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50),
  status: z.enum(agentStatuses),
  billingMode: z
    .enum(agentBillingModes)
    .nullable()
    .optional()
    .meta({ description: "How its platform bills it: action or outcome (Agentforce ActionBased / OutcomeBased); null = not known. Set by API: the Salesforce connector does not read it (docs/salesforce.md)" }),
};
export const agentCreate = z.strictObject({
  key,
  ...agentFields,
  platform: agentFields.platform.default("custom"),
  shared: agentFields.shared.default(false),
  tags: agentFields.tags.default([]),
  status: agentFields.status.default("active"),
});
export const agentUpdate = z.strictObject(agentFields).partial();

// Task types and their human baseline (the ROI assumption).
export const taskTypeCreate = z.strictObject({
  key,
  name,
  baselineMinutes: decimalInput(COLUMNS.minutes, { max: 100_000 }),
  loadedHourlyCost: decimalInput(COLUMNS.hourlyCost, { max: 1_000_000 }),
});
export const taskTypeUpdate = taskTypeCreate.omit({ key: true }).partial();

// Model prices per million tokens.
const perMTok = decimalInput(COLUMNS.pricePerMTok, { max: 100_000 });
const modelPriceFields = {
  model: z.string().trim().min(1).max(128),
  provider: z.string().trim().min(1).max(64),
  currency,
  inputPerMTok: perMTok,
  outputPerMTok: perMTok,
  cacheReadPerMTok: perMTok.nullable().optional(),
  cacheCreationPerMTok: perMTok.nullable().optional(),
  reasoningPerMTok: perMTok.nullable().optional(),
  inputAudioPerMTok: perMTok.nullable().optional().meta({ description: "Audio input tokens (the audio part of input); null = the input price" }),
  outputAudioPerMTok: perMTok.nullable().optional().meta({ description: "Audio output tokens (the audio part of output); null = the output price" }),
  effectiveFrom: isoDateTime,
  effectiveTo: isoDateTime.nullable().optional(),
  serviceTier: z.enum(["default", "batch", "flex", "priority"]).optional().meta({ description: "Price of this service tier only (default: the standard tier)" }),
};
const effectiveOrder = (v: { effectiveFrom?: string; effectiveTo?: string | null }) =>
  !v.effectiveFrom || !v.effectiveTo || new Date(v.effectiveTo) > new Date(v.effectiveFrom);
const effectiveOrderError = { message: "Must be after the start", path: ["effectiveTo"] };
export const modelPriceCreate = z.strictObject(modelPriceFields).refine(effectiveOrder, effectiveOrderError);
export const modelPriceUpdate = z.strictObject(modelPriceFields).partial().refine(effectiveOrder, effectiveOrderError);
export const modelPriceListQuery = z.strictObject({ source: z.enum(["manual", "catalog"]).default("manual") });

// Customers and their plan assignments.
export const fxRules = ["period_end", "event_day"] as const;
const customerBase = z.strictObject({
  key,
  name,
  salesforceAccountId: z.string().trim().regex(/^[a-zA-Z0-9]{15,18}$/, "A 15- or 18-character Salesforce Id").nullable().optional(),
  billingCurrency: currency
    .refine(isActiveCurrency, "Not an active ISO 4217 currency")
    .nullable()
    .optional()
    .meta({ description: "Currency its invoices are issued in; null = its rate card's currency (lib/billing/README.md)" }),
  fxRule: z
    .enum(fxRules)
    .optional()
    .meta({ description: "Rate for usage in another currency: period_end = the period's last day's rate (default), event_day = each event's day's rate" }),
  billingEmail: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email("must be an email address such as billing@example.com"))
    .nullable()
    .optional()
    .meta({ description: "Where finalized invoices are emailed (POST /api/v1/invoices/{id}/send)" }),
});
// Billing details printed on its invoices, and its tax setup (lib/billing/README.md).
const longText = (max: number) => z.string().trim().max(max).nullable().optional();
const paymentTermsDays = z.number().int().min(0).max(365);
export const customerBillingFields = {
  legalName: longText(200).meta({ description: "Printed on invoices; empty = the name" }),
  billingAddress: longText(500).meta({ description: "Postal address, one line per line" }),
  taxId: longText(50).meta({ description: "VAT/GST/tax number printed on invoices" }),
  billingEmail: z.string().trim().toLowerCase().pipe(z.email("Enter an email address")).nullable().optional(),
  poNumber: longText(100).meta({ description: "Purchase order number printed on invoices" }),
  paymentTermsDays: paymentTermsDays.nullable().optional().meta({ description: "Days from issue to due date; null = the organization's terms" }),
  taxCountry: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/, "Use a two-letter ISO 3166-1 country code, e.g. DE").nullable().optional().meta({ description: "Tax jurisdiction; null = no tax computed on its invoices" }),
  taxRegion: longText(20).meta({ description: "State or province code, when its rates differ from the country's" }),
  taxExempt: z.boolean().optional().meta({ description: "Exempt from tax: needs taxExemptReason (certificate number or legal basis), printed on invoices" }),
  taxExemptReason: longText(300),
  reverseCharge: z.boolean().optional().meta({ description: "B2B reverse charge: no tax charged, the legal note printed on invoices" }),
};
const exemptionRule = (v: { taxExempt?: boolean; taxExemptReason?: string | null; reverseCharge?: boolean }) => !(v.taxExempt && v.reverseCharge);
const exemptionError = { message: "A customer is either tax exempt or under reverse charge, not both", path: ["reverseCharge"] };
export const customerCreate = customerBase.extend(customerBillingFields).refine(exemptionRule, exemptionError);
export const customerUpdate = customerBase.omit({ key: true }).extend(customerBillingFields).partial().refine(exemptionRule, exemptionError);
export const customerPlanAssign = z
  .strictObject({ planId: id, effectiveFrom: isoDateTime, effectiveTo: isoDateTime.nullable().optional() })
  .refine(effectiveOrder, effectiveOrderError);
/** A customer as the API returns it (lib/admin/customers.ts withPlans): plans newest first. */
export const customerView = z
  .strictObject({
    id: z.number().int(),
    key: z.string(),
    name: z.string(),
    salesforceAccountId: z.string().nullable(),
    billingCurrency: z.string().nullable(),
    fxRule: z.enum(fxRules),
    legalName: z.string().nullable(),
    billingAddress: z.string().nullable(),
    taxId: z.string().nullable(),
    billingEmail: z.string().nullable(),
    poNumber: z.string().nullable(),
    paymentTermsDays: z.number().int().nullable(),
    taxCountry: z.string().nullable(),
    taxRegion: z.string().nullable(),
    taxExempt: z.boolean(),
    taxExemptReason: z.string().nullable(),
    reverseCharge: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    plans: z.array(
      z.strictObject({
        id: z.number().int(),
        planId: z.number().int(),
        effectiveFrom: z.string(),
        effectiveTo: z.string().nullable(),
        plan: z.strictObject({ key: z.string(), version: z.number().int(), name: z.string() }),
      }),
    ),
  })
  .meta({ id: "Customer" });

// Organization settings. The logo travels as a data URL: 256 KB of image is at most this many characters.
export const LOGO_MAX_BYTES = 256 * 1024;
const LOGO_DATA_URL_MAX = "data:image/jpeg;base64,".length + Math.ceil(LOGO_MAX_BYTES / 3) * 4;
const orgBudgetInput = decimalInput(COLUMNS.money);
export const settingsUpdate = z.strictObject({
  name: name.optional(),
  currency: currency.optional(),
  timeZone: z.string().trim().refine(isTimeZone, "Unknown time zone; use an IANA name such as Europe/Paris").optional(),
  fiscalMonthStart: z.number().int().min(1).max(12).optional(),
  /** Admin and finance users signing in with a password must use two-factor authentication. */
  requireSsoOrTwoFactor: z.boolean().optional(),
  /** The whole organization's monthly budget (its currency), alerted on like a department's; null removes it. */
  monthlyBudget: orgBudgetInput.nullable().optional(),
  /** The organization budget's spend ladder in percent; [] = the default 50/70/80/85/90/95/100. */
  budgetThresholds: z.array(z.number().int().min(1).max(1000)).max(20).refine((a) => new Set(a).size === a.length, "lists a threshold more than once").optional(),
  ...retentionSettingsInput,
  // The issuer on invoice documents.
  legalName: longText(200).meta({ description: "Legal name printed on invoices; empty = the name" }),
  address: longText(500).meta({ description: "Postal address, one line per line" }),
  taxId: longText(50).meta({ description: "VAT/GST/tax number printed on invoices" }),
  paymentInstructions: longText(1000).meta({ description: "Bank or payment instructions printed on invoices" }),
  paymentTermsDays: paymentTermsDays.optional().meta({ description: "Default days from issue to due date (Net N)" }),
  defaultTaxCategory: z.enum(taxCategories).optional().meta({ description: "Tax category of charges that name none, and of minimum, commitment and adjustment lines" }),
  logo: z
    .string()
    .max(LOGO_DATA_URL_MAX, "The logo may be at most 256 KB")
    .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/, "Upload a PNG or JPEG image")
    .nullable()
    .optional()
    .meta({ description: "The logo as a data URL (data:image/png;base64,… or image/jpeg), at most 256 KB; null removes it" }),
});

// Audit log filters.
export const auditQuery = z.strictObject({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  entity: z.string().trim().max(100).optional(),
  entityId: z.string().trim().max(100).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  /** Id of the last row of the previous page. */
  before: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type UserCreate = z.input<typeof userCreate>;
export type ApiKeyCreate = z.input<typeof apiKeyCreate>;
export type AgentCreate = z.input<typeof agentCreate>;
export type TaskTypeCreate = z.input<typeof taskTypeCreate>;
export type ModelPriceCreate = z.input<typeof modelPriceCreate>;
export type CustomerCreate = z.input<typeof customerCreate>;
export type SettingsUpdate = z.input<typeof settingsUpdate>;
