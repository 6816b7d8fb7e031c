// /api/v1/invoices and /api/v1/exports/focus contract: request and response schemas (source of the OpenAPI document).
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";
import { lineKinds } from "./compose";
import { creditNoteSummary } from "./credit-note-schemas";
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

/** The filters of a month-end run: the list, "bulk finalize all drafts matching" and totals share them. */
export const invoiceFilters = z
  .object({
    period: periodString.optional(),
    status: status.optional(),
    customer: z.string().max(200).optional().meta({ description: "Customer key" }),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR").optional(),
    sent: z.enum(["yes", "no"]).optional().meta({ description: "yes: emailed at least once; no: never sent" }),
    q: z.string().trim().max(200).optional().meta({ description: "Search: customer name or key (substring), or invoice number (INV-000012 or 12)" }),
  })
  .strict();

export const listSorts = ["number", "customer", "period", "finalizedAt", "total", "currency", "status"] as const;

export const listQuery = invoiceFilters
  .extend({
    sort: z.enum(listSorts).default("period"),
    order: z.enum(["asc", "desc"]).default("desc"),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

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
    taxTotal: money.meta({ description: "Sum of the tax lines; total = subtotal + adjustmentsTotal + taxTotal" }),
    total: money,
    credited: money.meta({ description: "Sum of the invoice's credit notes" }),
    balanceDue: money.meta({ description: "total − credited (0 for a void invoice)" }),
    issueDate: z.string().nullable().meta({ description: "YYYY-MM-DD (organization time zone), set at finalization; null on drafts" }),
    dueDate: z.string().nullable().meta({ description: "Issue date + payment terms days; null on drafts" }),
    finalizedAt: z.string().nullable(),
    voidedAt: z.string().nullable(),
    voidReason: z.string().nullable(),
    fx: invoiceFx.nullable(),
    sent: z.object({ at: z.string(), to: z.string() }).strict().nullable().meta({ description: "The last successful send (email with the PDF), if any" }),
    awaitingApproval: z.number().int().nullable().meta({ description: "The pending four-eyes approval request to finalize it (GET /api/v1/approvals), if any" }),
  })
  .strict();

const currencyTotal = z.object({ currency: z.string(), count: z.number().int(), total: money }).strict();

export const listResponse = z
  .object({
    invoices: z.array(invoiceSummary).meta({ description: "One page, in the requested order" }),
    count: z.number().int().meta({ description: "Invoices matching the filters (all pages)" }),
    totals: z.array(currencyTotal).meta({ description: "Per currency, over every invoice matching the filters (all pages)" }),
  })
  .strict();

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
    usageRef: z.record(z.string(), z.unknown()).nullable().meta({ description: "How to find the usage behind the line: meter, event filter, customer and time range; on tax lines the rate, jurisdiction and source" }),
    taxCategory: z.string().nullable().meta({ description: "Tax category the line was taxed under (null = the organization's default; null on tax lines)" }),
    grossAmount: money.nullable().meta({ description: "Set when the rate card's prices include tax: the price before its tax was taken out (amount is net)" }),
    outcome: lineOutcome.nullable().meta({ description: "Set on lines of outcome meters (tasks): what was counted and the escalation rate" }),
    createdAt: z.string(),
  })
  .strict();

const billTo = z
  .object({ name: z.string(), address: z.string().nullable(), taxId: z.string().nullable(), email: z.string().nullable(), poNumber: z.string().nullable() })
  .strict()
  .meta({ id: "InvoiceBillTo", description: "The customer's billing details: as of finalization on issued invoices, current on drafts" });

export const invoiceResponse = invoiceSummary
  .extend({
    billTo: billTo.nullable(),
    paymentTermsDays: z.number().int().meta({ description: "Days from issue to due date (the customer's terms, else the organization's)" }),
    lines: z.array(invoiceLine),
    creditNotes: z.array(creditNoteSummary),
  })
  .strict();

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

const idList = z.array(z.number().int().positive()).min(1).max(500);

export const bulkFinalizeRequest = z
  .object({
    ids: idList.optional().meta({ description: "Drafts to finalize, in this order" }),
    period: periodString.optional().meta({ description: "Instead of ids: every draft of the period that matches `filters`" }),
    filters: invoiceFilters.omit({ period: true, status: true }).optional(),
    dryRun: z.boolean().default(false).meta({ description: "Only answer with the summary: nothing is finalized" }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.ids === undefined) === (v.period === undefined)) ctx.addIssue({ code: "custom", path: ["ids"], message: "give either ids or period (with optional filters)" });
    if (v.filters && v.ids) ctx.addIssue({ code: "custom", path: ["filters"], message: "filters go with period, not with ids" });
  });

const invoiceRef = z.object({ id: z.number().int(), customer: z.string().nullable(), currency: z.string(), total: money }).strict();

export const bulkFinalizeResponse = z
  .object({
    dryRun: z.boolean(),
    count: z.number().int().meta({ description: "Invoices selected" }),
    totals: z.array(currencyTotal).meta({ description: "Per currency, over the invoices that can be finalized (or need approval)" }),
    ready: z.array(invoiceRef).meta({ description: "Can be finalized now (dry run) or were finalized, with their numbers" }),
    needsApproval: z.array(invoiceRef.extend({ approvalId: z.number().int().nullable() }).strict()).meta({ description: "At or above the four-eyes threshold: finalizing requests a second user's approval" }),
    failed: z.array(invoiceRef.extend({ reason: z.string() }).strict()).meta({ description: "Cannot be finalized, and why (e.g. a missing FX rate, not a draft)" }),
    finalized: z.array(z.object({ id: z.number().int(), number: z.string() }).strict()).meta({ description: "Finalized by this request, in order (empty for a dry run)" }),
  })
  .strict();

export const sendRecord = z
  .object({
    id: z.number().int(),
    invoiceId: z.number().int(),
    to: z.string(),
    sentAt: z.string(),
    sentBy: z.string().nullable(),
    status: z.enum(["sending", "sent", "failed"]).meta({ description: "sending: the mail is in flight (a void is refused meanwhile)" }),
    error: z.string().nullable(),
    messageId: z.string().nullable(),
  })
  .strict()
  .meta({ id: "InvoiceSend", description: "One attempt to email a finalized invoice with its PDF" });

export const bulkSendRequest = z.object({ ids: idList }).strict();
export const sendsResponse = z.object({ sends: z.array(sendRecord) }).strict();
export const bulkSendResponse = z
  .object({
    results: z.array(
      z
        .object({
          invoiceId: z.number().int(),
          status: z.enum(["sent", "failed", "refused"]).meta({ description: "refused: not sent and not logged (not finalized, no billing email)" }),
          send: sendRecord.nullable(),
          error: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export type InvoiceFx = z.infer<typeof invoiceFx>;
export type InvoiceSummary = z.infer<typeof invoiceSummary>;
export type InvoiceDetail = z.infer<typeof invoiceResponse>;
export type InvoiceLineDto = z.infer<typeof invoiceLine>;
export type InvoiceFilters = z.infer<typeof invoiceFilters>;
export type ListQuery = z.output<typeof listQuery>;
export type BulkFinalizeResult = z.infer<typeof bulkFinalizeResponse>;
export type SendRecord = z.infer<typeof sendRecord>;
export type BulkSendResult = z.infer<typeof bulkSendResponse>;
