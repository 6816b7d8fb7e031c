// /api/v1/approvals contract: four-eyes settings and approval requests (source of the OpenAPI document).
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";

const person = z.strictObject({ id: z.number().int(), name: z.string(), email: z.string() });

export const approvalSchema = z
  .strictObject({
    id: z.number().int(),
    kind: z.enum(["invoice_finalize", "recompute", "credit_note"]),
    subjectId: z.number().int().nullable().meta({ description: "The invoice (invoice_finalize); the run once started (recompute)" }),
    amount: z.string().meta({ description: "The amount that reached the threshold (absolute value), in `currency`" }),
    currency: z.string(),
    payload: z.record(z.string(), z.unknown()).meta({ description: "What the action needs once approved (a recompute run's input)" }),
    status: z.enum(["pending", "approved", "rejected", "failed"]).meta({ description: "failed: approved, but the action then failed (see error)" }),
    requestedBy: person,
    requestedAt: z.string(),
    decidedBy: person.nullable(),
    decidedAt: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "The rejection's reason" }),
    error: z.string().nullable(),
  })
  .meta({ id: "Approval", description: "A four-eyes approval request (lib/approvals/README.md)" });

export const approvalListQuery = z.strictObject({
  status: z.enum(["pending", "approved", "rejected", "failed"]).optional(),
  kind: z.enum(["invoice_finalize", "recompute", "credit_note"]).optional(),
});
export const approvalListResponse = z.strictObject({ approvals: z.array(approvalSchema) });

export const rejectRequest = z.strictObject({ reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500) });

export const fourEyesSchema = z
  .strictObject({
    enabled: z.boolean(),
    threshold: z.string().nullable().meta({ description: "Amount in the organization currency at or above which an action needs a second approver" }),
    currency: z.string().meta({ description: "The organization currency (read-only)" }),
  })
  .meta({ id: "FourEyesSettings" });

export const fourEyesUpdate = z
  .strictObject({
    enabled: z.boolean(),
    threshold: decimalInput(COLUMNS.money).nullable().meta({ description: "Organization currency; required when enabled", example: "10000.00" }),
  })
  .refine((v) => !v.enabled || v.threshold !== null, { path: ["threshold"], message: "required when four-eyes approval is enabled" });

export const approvalIdParams = z.strictObject({ id: z.coerce.number().int().positive() });

export type ApprovalDto = z.infer<typeof approvalSchema>;
export type FourEyesSettings = z.infer<typeof fourEyesSchema>;
