// Request and response schemas of the allocation, department and allocation-rule APIs (the contract).
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";
import { DRIVERS, METHODS } from "./rules";
import { monthString } from "./period";

const moneyString = z.string().regex(/^-?\d+\.\d{2}$/, "must be a decimal amount with 2 decimals");
/** Budgets and percentages come in as decimal strings (or numbers), never parsed as floats. */
const budgetInput = decimalInput(COLUMNS.money);
const percentInput = decimalInput(COLUMNS.percent, { max: 100 });
export const departmentCode = z.string().trim().regex(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, "must be 1–32 upper-case letters, digits, '-' or '_'");

export const periodQuery = z.object({ period: monthString.optional() }).strict();

export const allocationDepartment = z
  .object({
    code: z.string(),
    name: z.string(),
    parent: z.string().nullable(),
    archived: z.boolean(),
    direct: moneyString,
    allocated: moneyString,
    total: moneyString,
    /** The department's total plus all its descendants'. */
    subtreeTotal: moneyString,
    budget: moneyString.nullable(),
    /** Percent of the monthly budget used by the department's own total, 2 decimals. */
    budgetUsed: z.string().nullable(),
    forecast: moneyString,
  })
  .strict();

export const unallocatedLine = z
  .object({ agent: z.object({ key: z.string(), name: z.string() }).strict(), reason: z.enum(["unassigned", "no_rule", "no_driver"]), amount: moneyString })
  .strict();

export const allocationResponse = z
  .object({
    period: z.string(),
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    timeZone: z.string(),
    total: moneyString,
    /** Null for department-scoped callers, who see only their departments. */
    unallocated: moneyString.nullable(),
    unallocatedLines: z.array(unallocatedLine),
    forecast: moneyString,
    departments: z.array(allocationDepartment),
  })
  .strict();

export const ruleRef = z
  .object({ id: z.number().int(), method: z.enum(METHODS), driver: z.enum(DRIVERS).nullable(), effectiveFrom: z.string() })
  .strict();

export const statementLine = z
  .object({
    agent: z.object({ key: z.string(), name: z.string() }).strict(),
    kind: z.enum(["direct", "allocated"]),
    rule: ruleRef.nullable(),
    sharePercent: z.string().nullable(),
    events: z.string(),
    quantity: z.string(),
    amount: moneyString,
  })
  .strict();

export const statementResponse = z
  .object({
    period: z.string(),
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    department: allocationDepartment,
    lines: z.array(statementLine),
  })
  .strict();

export const statementQuery = z.object({ period: monthString.optional(), format: z.enum(["json", "csv", "pdf"]).default("json") }).strict();

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

export const ruleCreate = z
  .object({
    agent: z.string().min(1),
    method: z.enum(METHODS),
    driver: z.enum(DRIVERS).nullable().optional(),
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD"),
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
    shares: z.array(z.object({ department: z.string(), percent: z.string().nullable() }).strict()),
  })
  .strict();

export const ruleListResponse = z.object({ rules: z.array(ruleResponse) }).strict();
export const ruleListQuery = z.object({ agent: z.string().optional() }).strict();

export type AllocationResponse = z.infer<typeof allocationResponse>;
export type AllocationDepartment = z.infer<typeof allocationDepartment>;
export type StatementResponse = z.infer<typeof statementResponse>;
export type DepartmentResponse = z.infer<typeof departmentResponse>;
export type RuleResponse = z.infer<typeof ruleResponse>;
