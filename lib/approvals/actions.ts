// What an approved request runs, by kind. Kept apart from ./approvals.ts so that modules which ask for approval
// (billing, recompute) do not import each other through it.
import "server-only";
import { ApiError, ConflictError, NotFoundError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import type { CreditNoteRequest } from "@/lib/billing/credit-note-plan";
import { issueCreditNote } from "@/lib/billing/credit-notes";
import { finalizeInvoice } from "@/lib/billing/lifecycle";
import { db } from "@/lib/db";
import { enqueueJob } from "@/lib/jobs";
import { createRecomputeRun, type RunInput } from "@/lib/recompute/runs";
import { decideApproval, recordOutcome, type ApprovalKind } from "./approvals";
import type { ApprovalDto } from "./schemas";

/** Runs the approved action as the approver; returns the subject it created, if any. */
const actions: Partial<Record<ApprovalKind, (approval: ApprovalDto, approver: UserCaller) => Promise<number | undefined>>> = {
  invoice_finalize: async (approval, approver) => {
    await finalizeInvoice(approval.subjectId!, approver);
    return undefined;
  },
  credit_note: async (approval, approver) => {
    await issueCreditNote(approval.subjectId!, approval.payload as CreditNoteRequest, approver);
    return undefined;
  },
  recompute: async (approval, approver) => {
    const input = approval.payload as { kind: RunInput["kind"]; from: string; to: string; predicate: RunInput["predicate"]; reason: string; batchSize?: number };
    const run = await createRecomputeRun(approver, { ...input, from: new Date(input.from), to: new Date(input.to) });
    await enqueueJob("recompute.run", { runId: run.id });
    return run.id;
  },
};

/**
 * Approves a pending request (a different user than the requester: 403 otherwise) and runs its action. When the
 * action is refused (e.g. the invoice meanwhile lacks an FX rate) the request ends `failed` with the reason, and the
 * refusal is answered as it would have been without approval.
 */
export async function approve(caller: UserCaller, id: number): Promise<ApprovalDto> {
  const request = await db.approval.findUnique({ where: { id }, select: { kind: true } });
  if (!request) throw new NotFoundError(`Approval ${id} not found`);
  const action = actions[request.kind as ApprovalKind];
  if (!action) throw new ConflictError(`Approvals of kind ${request.kind} have no action yet`);
  const approved = await decideApproval(caller, id, "approved", null);
  try {
    const subjectId = await action(approved, caller);
    return subjectId === undefined ? approved : await recordOutcome(caller, id, { subjectId });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    await recordOutcome(caller, id, { error: error.message });
    throw error;
  }
}

export function reject(caller: UserCaller, id: number, reason: string): Promise<ApprovalDto> {
  return decideApproval(caller, id, "rejected", reason);
}
