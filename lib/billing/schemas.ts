// /api/v1/invoices and /api/v1/exports/focus contract: request and response schemas (source of the OpenAPI document).
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";
import { lineKinds } from "./compose";
import { periodString } from "./period";

const money = z.string().regex(/^-?\d+(\.\d+)?$/).meta({ description: "Exact decimal amount", example: "1234.50" });
const status = z.enum(["draft", "finalized", "void"]);
const customer = z.object({ id: z.number().int(), key: z.string(), name: z.string() }).strict();

export const draftsRequest = z.object({ period: periodString }).strict();

export const draftsResponse = z
  .object({
    period: z.string(),
    invoices: z.array(z.object({ id: z.number().int(), customer, status, total: money }).strict()),
  })
  .strict();

export const listQuery = z.object({ period: periodString.optional(), status: status.optional(), customer: z.string().max(200).optional() }).strict();

const invoiceFx = z
  .object({
    rule: z.enum(["period_end", "event_day"]).meta({ description: "period_end: every amount at the period's last day's rate; event_day: each event's day's rate" }),
    rates: z.array(
      z
        .object({
          from: z.string(),
          to: z.string(),
          day: z.string().meta({ description: "The day valued (YYYY-MM-DD, organization time zone)" }),
          date: z.string().meta({ description: "The date of the rate used (at most 7 days before `day`)" }),
          method: z.enum(["identity", "direct", "inverse", "cross"]),
          rate: z.string().meta({ description: "1 from = rate to (40 significant digits)" }),
        })
        .strict(),
    ),
    missing: z
      .array(z.object({ from: z.string(), to: z.string(), day: z.string() }).strict())
      .meta({ description: "Conversions with no rate: their amounts are left out and the invoice cannot be finalized until the rate is stored and the draft regenerated" }),
  })
  .strict()
  .meta({ id: "InvoiceFx", description: "FX rates used to value usage in currencies other than the invoice's (lib/billing/README.md)" });

const invoiceSummary = z
  .object({
    id: z.number().int(),
    number: z.string().nullable().meta({ description: "INV-000001, assigned at finalization" }),
    customer: customer.nullable(),
    period: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    status,
    currency: z.string(),
    subtotal: money,
    adjustmentsTotal: money,
    total: money,
    finalizedAt: z.string().nullable(),
    voidedAt: z.string().nullable(),
    voidReason: z.string().nullable(),
    fx: invoiceFx.nullable(),
  })
  .strict();

export const listResponse = z.object({ invoices: z.array(invoiceSummary) }).strict();

const tierPiece = z.object({ from: z.string(), upTo: z.string().nullable(), quantity: z.string(), unitPrice: z.string(), flatFee: z.string(), amount: z.string() }).strict();

export const lineOutcome = z
  .object({
    taskType: z.string().nullable().meta({ description: "Task type counted (null = any)" }),
    handledBy: z.enum(["agent", "human"]).nullable().meta({ description: "Who handled the tasks counted (null = either)" }),
    agentId: z.number().int().nullable().meta({ description: "One agent's tasks only (null = any agent)" }),
    taskStatuses: z.array(z.string()).meta({ description: "Task statuses counted ([] = any)" }),
    agentTasks: z.string().meta({ description: "Agent-handled tasks of this task type (and agent) in the period" }),
    escalated: z.string().meta({ description: "Of those, escalated to a human" }),
    escalationRate: z.string().nullable().meta({ description: "escalated ÷ agentTasks, exact (0.1 = 10 %); null without an agent task" }),
  })
  .strict()
  .meta({ id: "InvoiceLineOutcome", description: "An outcome line's delivered outcomes and the agents' escalation rate over the same tasks" });

export const invoiceLine = z
  .object({
    id: z.number().int(),
    kind: z.enum(lineKinds),
    meter: z.object({ id: z.number().int(), key: z.string(), name: z.string(), unit: z.string() }).strict().nullable(),
    description: z.string(),
    quantity: z.string(),
    unitPrice: z.string().nullable(),
    amount: money,
    tiers: z.array(tierPiece).nullable(),
    reason: z.string().nullable(),
    usageRef: z.record(z.string(), z.unknown()).nullable().meta({ description: "How to find the usage behind the line: meter, event filter, customer and time range" }),
    outcome: lineOutcome.nullable().meta({ description: "Set on lines of outcome meters (tasks): what was counted and the escalation rate" }),
    createdAt: z.string(),
  })
  .strict();

export const invoiceResponse = invoiceSummary.extend({ lines: z.array(invoiceLine) }).strict();

export const adjustmentRequest = z
  .object({
    amount: decimalInput(COLUMNS.money, { signed: true })
      .refine((s) => s !== "0", "must not be zero")
      .meta({ description: "Signed: negative for a discount, positive for an extra charge; the invoice total may not go below 0", example: "-50.00" }),
    reason: z.string().trim().min(3).max(500),
    description: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const voidRequest = z.object({ reason: z.string().trim().min(3).max(500) }).strict();

export const idParams = z.object({ id: z.coerce.number().int().positive() }).strict();

const focusVersion = z.enum(["1.3", "1.2"]).default("1.3").meta({ description: "FOCUS version of the columns: 1.3 (default) or 1.2 for older consumers." });

export const focusQuery = z.object({ period: periodString, version: focusVersion }).strict();

export const focusMetadataQuery = z.object({ version: focusVersion }).strict();

export const focusMetadataResponse = z
  .object({
    DataGenerator: z.object({ DataGenerator: z.string() }),
    Schema: z.object({
      SchemaId: z.string(),
      FocusVersion: z.enum(["1.3", "1.2"]),
      CreationDate: z.string(),
      ColumnDefinition: z.array(
        z.object({ ColumnName: z.string(), DataType: z.enum(["STRING", "DATETIME", "DECIMAL", "JSON"]), NumericPrecision: z.number().optional(), NumberScale: z.number().optional(), StringEncoding: z.string().optional() }),
      ),
    }),
  })
  .meta({ id: "FocusMetadata", description: "FOCUS dataset metadata: the data generator and the schema (version and column definitions) of the export." });

export type InvoiceFx = z.infer<typeof invoiceFx>;
export type InvoiceSummary = z.infer<typeof invoiceSummary>;
export type InvoiceDetail = z.infer<typeof invoiceResponse>;
export type InvoiceLineDto = z.infer<typeof invoiceLine>;
