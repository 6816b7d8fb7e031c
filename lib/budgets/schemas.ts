// Request and response schemas of budget limits and budget checks (the OpenAPI document is generated from them).
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";

const amount = decimalInput(COLUMNS.money);
const money = z.string().regex(/^-?\d+\.\d{2}$/, "must be a decimal amount with 2 decimals");
export const budgetPeriod = z.enum(["day", "week", "month"]);
export const limitScope = z.enum(["department", "agent", "apiKey"]);
export const failMode = z.enum(["open", "closed"]);

/** Target: a department code, an agent key, or an API key id (its prefix is shown). */
export const budgetLimitCreate = z
  .object({
    scope: limitScope,
    target: z.union([z.string().trim().min(1).max(200), z.number().int().positive()]),
    period: budgetPeriod,
    soft: amount.nullable().optional(),
    hard: amount.nullable().optional(),
    failMode: failMode.default("open"),
  })
  .strict()
  .meta({ id: "BudgetLimitCreate" });

export const budgetLimitUpdate = z
  .object({ soft: amount.nullable().optional(), hard: amount.nullable().optional(), failMode: failMode.optional() })
  .strict()
  .meta({ id: "BudgetLimitUpdate" });

export const budgetLimitView = z
  .object({
    id: z.number().int(),
    scope: limitScope,
    /** Department code, agent key or API key prefix. */
    target: z.string(),
    targetId: z.number().int(),
    period: budgetPeriod,
    soft: money.nullable(),
    /** The level that applies: a department month limit without its own soft level uses the monthly budget. */
    effectiveSoft: money.nullable(),
    hard: money.nullable(),
    failMode,
    /** Spend in the current period (organization time zone). */
    spent: money,
    periodStart: z.string(),
    resetsAt: z.string(),
  })
  .strict()
  .meta({ id: "BudgetLimit" });
export type BudgetLimitView = z.infer<typeof budgetLimitView>;

export const budgetLimitListQuery = z.object({ scope: limitScope.optional(), target: z.string().max(200).optional() }).strict();
export const budgetLimitList = z.object({ items: z.array(budgetLimitView) }).strict();
export const budgetLimitIdParams = z.object({ id: z.coerce.number().int().positive() });

export const budgetCheckRequest = z
  .object({
    agent: z.string().trim().min(1).max(200),
    department: z.string().trim().min(1).max(32).optional(),
    estimatedCost: z
      .object({ amount: decimalInput(COLUMNS.eventCost), currency: z.string().regex(/^[A-Za-z]{3}$/, "must be a 3-letter currency code") })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: "BudgetCheckRequest" });

export const budgetCheckResponse = z
  .object({
    allowed: z.boolean(),
    level: z.enum(["ok", "soft", "hard"]),
    /** The limit that decided (the tightest of all that apply); null when none applies. */
    limit: z
      .object({
        id: z.number().int().nullable(),
        scope: limitScope,
        target: z.string(),
        period: budgetPeriod,
        soft: money.nullable(),
        hard: money.nullable(),
        failMode,
        spent: money.nullable(),
        periodStart: z.string(),
      })
      .strict()
      .nullable(),
    remaining: money.nullable(),
    resetsAt: z.string().nullable(),
    answeredFrom: z.enum(["cache", "failOpen", "failClosed"]),
    cacheAgeMs: z.number().int(),
  })
  .strict()
  .meta({ id: "BudgetCheckResponse" });

export const budgetUseQuery = z
  .object({
    agent: z.string().trim().min(1).max(200).optional(),
    department: z.string().trim().min(1).max(32).optional(),
  })
  .strict()
  .refine((q) => !(q.agent && q.department), { path: ["department"], message: "Give an agent or a department, not both" })
  .meta({ id: "BudgetUseQuery" });

export const budgetUse = z
  .object({
    /** null for a department's monthly budget without a limit row (its implicit soft level). */
    id: z.number().int().nullable(),
    scope: z.enum(["department", "agent"]),
    target: z.string(),
    period: budgetPeriod,
    /** Effective levels (a department month limit without its own soft level uses the monthly budget). */
    soft: money.nullable(),
    hard: money.nullable(),
    spent: money,
    /** spent ÷ (hard, else soft) × 100, one decimal; null without a level. */
    usedPercent: z.string().nullable(),
    /** What a check would answer now with no estimate: hard = denied, soft = over the warning level. */
    level: z.enum(["ok", "soft", "hard"]),
    periodStart: z.string(),
    resetsAt: z.string(),
    /** The limit a check for this agent or department would name (most severe, then least left). */
    tightest: z.boolean(),
  })
  .strict()
  .meta({ id: "BudgetUse" });
export type BudgetUse = z.infer<typeof budgetUse>;

export const budgetUseList = z
  .object({
    currency: z.string(),
    items: z.array(budgetUse),
    /** Limits of parent departments outside a department-scoped user's departments: they apply but are not shown. */
    hidden: z.number().int(),
  })
  .strict()
  .meta({ id: "BudgetUseList" });
