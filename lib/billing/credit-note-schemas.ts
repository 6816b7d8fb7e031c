// /api/v1/credit-notes and /api/v1/invoices/{id}/credit-notes contract: request and response schemas.
import { z } from "zod";
import { COLUMNS, decimalInput, type NumericColumn } from "@/lib/decimal-input";
import { periodString } from "./period";

/** credit_notes.total / credit_note_lines.amount: numeric(20, 4), room for every ISO 4217 minor unit. */
const AMOUNT: NumericColumn = { precision: 20, scale: 4 };

const money = z.string().regex(/^-?\d+(\.\d+)?$/).meta({ description: "Exact decimal amount with the currency's minor-unit digits", example: "50.00" });
const reason = z.string().trim().min(3).max(500).meta({ description: "Why the invoice is credited (printed on the credit note)" });
const positive = (column: NumericColumn, description: string) =>
  decimalInput(column)
    .refine((s) => !/^0(\.0*)?$/.test(s), "must be more than zero")
    .meta({ description });

export const creditNoteRequest = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("full").meta({ description: "Credit everything still owed on the invoice" }), reason }).strict(),
    z
      .object({
        kind: z.literal("lines").meta({ description: "Credit some units or an amount of individual lines" }),
        reason,
        lines: z
          .array(
            z.union([
              z.object({ lineId: z.number().int().positive(), quantity: positive(COLUMNS.eventQuantity, "Units of the line to credit, priced at the line's average unit price") }).strict(),
              z.object({ lineId: z.number().int().positive(), amount: positive(AMOUNT, "Amount of the line to credit") }).strict(),
            ]),
          )
          .min(1)
          .max(500),
      })
      .strict(),
    z
      .object({
        kind: z.literal("amount").meta({ description: "Credit a plain amount not tied to a line" }),
        reason,
        amount: positive(AMOUNT, "Amount to credit, rounded half-even to the invoice currency's minor unit"),
        description: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
  ])
  .meta({ id: "CreditNoteRequest" });

export const creditNoteListQuery = z
  .object({
    period: periodString.optional().meta({ description: "Month the credit note was issued in (organization time zone)" }),
    customer: z.string().max(200).optional().meta({ description: "Customer key" }),
    invoice: z.coerce.number().int().positive().optional().meta({ description: "Invoice id" }),
  })
  .strict();

export const creditNoteSummary = z
  .object({
    id: z.number().int(),
    number: z.string().meta({ description: "CN-000001: its own sequential series, no gaps" }),
    status: z.enum(["issued"]),
    invoice: z.object({ id: z.number().int(), number: z.string().nullable(), period: z.string() }).strict(),
    customer: z.object({ id: z.number().int(), key: z.string(), name: z.string() }).strict().nullable(),
    currency: z.string(),
    total: money.meta({ description: "Amount credited (positive), in the invoice currency" }),
    reason: z.string(),
    issuedAt: z.string(),
  })
  .strict()
  .meta({ id: "CreditNoteSummary" });

export const creditNoteResponse = creditNoteSummary
  .extend({
    lines: z.array(
      z
        .object({
          id: z.number().int(),
          invoiceLineId: z.number().int().nullable().meta({ description: "The invoice line credited; null for an amount not tied to a line" }),
          description: z.string(),
          quantity: z.string().nullable().meta({ description: "Units credited; null when credited by amount" }),
          amount: money.meta({ description: "Amount credited; negative only where a full credit mirrors a negative invoice line (e.g. a commitment drawdown)" }),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: "CreditNote" });

export const creditNoteListResponse = z.object({ creditNotes: z.array(creditNoteSummary) }).strict();

export type CreditNoteSummary = z.infer<typeof creditNoteSummary>;
export type CreditNoteDetail = z.infer<typeof creditNoteResponse>;
