// Request and response schemas of the allocation, department and allocation-rule APIs (the contract).
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";
import { conversionFields, displayCurrencyParam } from "@/lib/currency/display-schemas";
import { DRIVERS, METHODS } from "./rules";
import { monthString } from "./period";

/** In the organization currency: 2 decimals; in a display currency: its ISO 4217 minor unit (JPY 0, KWD 3). */
const moneyString = z.string().regex(/^-?\d+(\.\d{1,4})?$/, "must be a decimal amount in the currency's minor units");
/** Budgets and percentages come in as decimal strings (or numbers), never parsed as floats. */
const budgetInput = decimalInput(COLUMNS.money);
const percentInput = decimalInput(COLUMNS.percent, { max: 100 });
export const departmentCode = z.string().trim().regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, "must be 1–32 upper-case letters, digits, '-' or '_'");

export const periodQuery = z.object({ period: monthString.optional(), currency: displayCurrencyParam }).strict();

export const allocationDepartment = z
  .object({
    code: z.string(),
    name: z.string(),
    parent: z.string().nullable(),
    archived: z.boolean(),
    direct: moneyString,
    allocated: moneyString,
    /** Changes to closed months carried into this month (0.00 in most months). */
    adjustments: moneyString,
    /** direct + allocated + adjustments. */
    total: moneyString,
    /** The department's total plus all its descendants'. */
    subtreeTotal: moneyString,
    /** Budgets and forecasts are always in the organization currency (`orgCurrency` when a display currency is shown). */
    budget: moneyString.nullable(),
    /** Percent of the monthly budget used by the department's own total (in the organization currency), 2 decimals. */
    budgetUsed: z.string().nullable(),
    forecast: moneyString,
    /** With a display currency: the department's total in the organization currency (every day of the month). */
    orgTotal: moneyString.optional(),
    /** With a display currency: its organization-currency cost of days with no usable rate, not in the display amounts. */
    unconverted: moneyString.optional(),
  })
  .strict();

export const unallocatedLine = z
  .object({
    agent: z.object({ key: z.string(), name: z.string() }).strict(),
    reason: z.enum(["unassigned", "no_rule", "no_driver", "adjustment"]),
    /** For reason "adjustment": the closed month whose unallocated cost changed. */
    adjusts: monthString.nullable(),
    amount: moneyString,
    /** With a display currency: the same line in the organization currency (null: no such line there). */
    orgAmount: moneyString.nullable().optional(),
  })
  .strict();

/** How an allocation was put into a display currency (lib/allocation/display.ts; rule in lib/currency/README.md). */
export const allocationConversion = z
  .object({
    ...conversionFields,
    /** "daily": an open month, each local day at its own rate; "month_end": a closed month's frozen lines at its last day's rate. */
    rule: z.enum(["daily", "month_end"]),
    /** The month's total in the organization currency. */
    orgTotal: moneyString,
    /** Unallocated cost in the organization currency (null for department-scoped callers and statements). */
    orgUnallocated: moneyString.nullable(),
    /** Organization-currency cost left out of the display amounts: days with no usable rate, adjustments whose month has none. */
    unconverted: moneyString,
    /** The part of `unconverted` that is unallocated (null for department-scoped callers and statements). */
    unconvertedUnallocated: moneyString.nullable(),
    /** Adjustment lines are converted at the last-day rate of the closed month they correct. */
    adjustments: z.array(z.object({ adjusts: monthString, rateDate: z.string().nullable() }).strict()),
  })
  .strict();

export const closeInfo = z.object({ closedAt: z.string(), closedBy: z.string().nullable() }).strict();

export const allocationResponse = z
  .object({
    period: z.string(),
    from: z.string(),
    to: z.string(),
    /** The currency of every amount except budgets and forecasts: the display currency asked for, else the organization's. */
    currency: z.string(),
    /** With a display currency: the organization currency (budgets, forecasts, `orgTotal`, `unconverted`); else null. */
    orgCurrency: z.string().nullable(),
    conversion: allocationConversion.nullable(),
    timeZone: z.string(),
    /** Set when the month is closed: its figures are frozen; later changes appear in the next open month. */
    closed: closeInfo.nullable(),
    total: moneyString,
    /** Null for department-scoped callers, who see only their departments. */
    unallocated: moneyString.nullable(),
    unallocatedLines: z.array(unallocatedLine),
    forecast: moneyString,
    departments: z.array(allocationDepartment),
  })
  .strict();

export const ruleRef = z
  .object({ id: z.number().int(), method: z.enum(METHODS), driver: z.enum(DRIVERS).nullable(), effectiveFrom: z.string(), effectiveTo: z.string().nullable() })
  .strict();

export const statementLine = z
  .object({
    agent: z.object({ key: z.string(), name: z.string() }).strict(),
    kind: z.enum(["direct", "allocated", "adjustment"]),
    /** For kind "adjustment": the closed month whose figures changed. */
    adjusts: monthString.nullable(),
    rule: ruleRef.nullable(),
    sharePercent: z.string().nullable(),
    events: z.string(),
    quantity: z.string(),
    amount: moneyString,
    /** With a display currency: the same line in the organization currency (null: no such line there). */
    orgAmount: moneyString.nullable().optional(),
  })
  .strict();

export const statementResponse = z
  .object({
    period: z.string(),
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    orgCurrency: z.string().nullable(),
    conversion: allocationConversion.nullable(),
    closed: closeInfo.nullable(),
    department: allocationDepartment,
    lines: z.array(statementLine),
  })
  .strict();

export const statementQuery = z.object({ period: monthString.optional(), format: z.enum(["json", "csv", "pdf"]).default("json"), currency: displayCurrencyParam }).strict();

export const thresholdInput = z.object({ basis: z.enum(["spend", "forecast"]), percent: z.number().int().min(1).max(1000) }).strict();

export const departmentCreate = z
  .object({
    code: departmentCode,
    name: z.string().trim().min(1).max(100),
    parent: departmentCode.nullable().optional(),
    ownerEmail: z.email().nullable().optional(),
    monthlyBudget: budgetInput.nullable().optional(),
  })
  .strict();

export const departmentUpdate = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    parent: departmentCode.nullable().optional(),
    ownerEmail: z.email().nullable().optional(),
    archived: z.boolean().optional(),
  })
  .strict();

export const budgetUpdate = z
  .object({
    monthlyBudget: budgetInput.nullable(),
    /** Replaces the department's thresholds; omit to keep them, [] to use the defaults. */
    thresholds: z.array(thresholdInput).max(20).optional(),
  })
  .strict();

export const agentAssignment = z.object({ agent: z.string().min(1) }).strict();

export const departmentResponse = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    parent: z.string().nullable(),
    owner: z.object({ email: z.string(), name: z.string() }).strict().nullable(),
    monthlyBudget: moneyString.nullable(),
    thresholds: z.array(thresholdInput),
    archived: z.boolean(),
    agents: z.array(z.object({ key: z.string(), name: z.string(), shared: z.boolean() }).strict()),
  })
  .strict();

export const departmentListResponse = z.object({ departments: z.array(departmentResponse) }).strict();

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

export const ruleCreate = z
  .object({
    agent: z.string().min(1),
    method: z.enum(METHODS),
    driver: z.enum(DRIVERS).nullable().optional(),
    effectiveFrom: dateString,
    /** Last day the version applies (inclusive); omit for "until the next version". */
    effectiveTo: dateString.nullable().optional(),
    shares: z.array(z.object({ department: departmentCode, percent: percentInput.nullable().optional() }).strict()).max(200).default([]),
  })
  .strict();

export const ruleResponse = z
  .object({
    id: z.number().int(),
    agent: z.object({ key: z.string(), name: z.string() }).strict(),
    method: z.enum(METHODS),
    driver: z.enum(DRIVERS).nullable(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    shares: z.array(z.object({ department: z.string(), percent: z.string().nullable() }).strict()),
  })
  .strict();

export const ruleListResponse = z.object({ rules: z.array(ruleResponse) }).strict();
export const ruleListQuery = z.object({ agent: z.string().optional() }).strict();

/** Ends a rule version on a day (inclusive), or removes its end with null. */
export const ruleEnd = z.object({ effectiveTo: dateString.nullable() }).strict();

export const ruleChange = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("create"), rule: ruleCreate }).strict(),
  z.object({ kind: z.literal("end"), id: z.number().int().positive(), effectiveTo: dateString.nullable() }).strict(),
  z.object({ kind: z.literal("delete"), id: z.number().int().positive() }).strict(),
  /** Marking an agent shared (without a rule yet). */
  z.object({ kind: z.literal("share"), agent: z.string().min(1) }).strict(),
]);
export const rulePreview = z.object({ period: monthString, change: ruleChange }).strict();

const beforeAfter = z.object({ before: moneyString, after: moneyString, change: moneyString }).strict();
export const previewResponse = z
  .object({
    requested: monthString,
    /** The month shown: the requested one, or when that is closed, the open month its change is carried into. */
    period: monthString,
    requestedClosed: z.boolean(),
    currency: z.string(),
    /** Departments with cost before or after the change; each total includes adjustments. */
    departments: z.array(z.object({ code: z.string(), name: z.string() }).extend(beforeAfter.shape).strict()),
    /** Null for department-scoped callers. */
    unallocated: beforeAfter.nullable(),
  })
  .strict();

export const shareImpactQuery = z.object({ agent: z.string().min(1) }).strict();
export const shareImpactResponse = z
  .object({
    agent: z.string(),
    shared: z.boolean(),
    /** Rule versions the agent has. */
    rules: z.number().int(),
    /** Months in which the agent has cost; closed ones change only through an adjustment in the next open month. */
    months: z.array(z.object({ period: monthString, cost: moneyString, closed: z.boolean() }).strict()),
  })
  .strict();

export const monthClose = z.object({ period: monthString }).strict();
export const monthReopen = z.object({ reason: z.string().trim().min(3, "say why the month is reopened (at least 3 characters)").max(500) }).strict();
export const monthCloseResponse = z.object({ period: monthString, closedAt: z.string(), closedBy: z.string().nullable(), total: moneyString }).strict();
export const monthCloseListResponse = z.object({ closes: z.array(monthCloseResponse) }).strict();

/** `currency`: a display currency for csv, xlsx and pdf; journal entries are in the organization currency only. */
export const chargebackExportQuery = z.object({ period: monthString, format: z.enum(["csv", "xlsx", "pdf", "journal"]), currency: displayCurrencyParam }).strict();

const glAccount = z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9][A-Za-z0-9.\-_/]*$/, "letters, digits and . - _ / only");
export const glMappingUpdate = z
  .object({
    offsetAccount: glAccount.nullable().optional(),
    departments: z.array(z.object({ code: departmentCode, glAccount: glAccount.nullable(), costCenterCode: glAccount.nullable() }).strict()).max(2000).default([]),
  })
  .strict();
export const glMappingResponse = z
  .object({
    /** Account credited by the journal (where the AI spend was booked before chargeback). */
    offsetAccount: z.string().nullable(),
    departments: z.array(z.object({ code: z.string(), name: z.string(), glAccount: z.string().nullable(), costCenterCode: z.string().nullable() }).strict()),
  })
  .strict();

export type AllocationResponse = z.infer<typeof allocationResponse>;
export type AllocationDepartment = z.infer<typeof allocationDepartment>;
export type AllocationConversion = z.infer<typeof allocationConversion>;
export type StatementResponse = z.infer<typeof statementResponse>;
export type DepartmentResponse = z.infer<typeof departmentResponse>;
export type RuleResponse = z.infer<typeof ruleResponse>;
export type PreviewResponse = z.infer<typeof previewResponse>;
export type ShareImpactResponse = z.infer<typeof shareImpactResponse>;
export type MonthCloseResponse = z.infer<typeof monthCloseResponse>;
export type GlMappingResponse = z.infer<typeof glMappingResponse>;
