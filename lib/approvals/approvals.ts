// Four-eyes approval, generic by kind: an action whose amount reaches the organization's threshold is not run by its
// requester; a request is stored, a different finance/admin user approves (or rejects) it, then the action runs
// (./actions.ts). Requests and decisions are audited.
import "server-only";
import { audit } from "@/lib/audit";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/api/errors";
import type { Caller, UserCaller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { convert, rateFor } from "@/lib/currency/rates";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { dec, moneyText, type Dec } from "@/lib/billing/money";
import { forgetOrgSettings } from "@/lib/org";
import type { ApprovalDto, FourEyesSettings } from "./schemas";

/** credit_note is reserved for credit notes (wired by their module). */
export const approvalKinds = ["invoice_finalize", "recompute", "credit_note"] as const;
export type ApprovalKind = (typeof approvalKinds)[number];

export async function fourEyesSettings(client: Pick<Prisma.TransactionClient, "organization"> = db): Promise<FourEyesSettings> {
  const org = await client.organization.findUniqueOrThrow({ where: { id: 1 }, select: { fourEyesEnabled: true, fourEyesThreshold: true, currency: true } });
  const currency = org.currency.trim();
  return { enabled: org.fourEyesEnabled, threshold: org.fourEyesThreshold === null ? null : moneyText(org.fourEyesThreshold, currency), currency };
}

export async function updateFourEyesSettings(caller: UserCaller, input: { enabled: boolean; threshold: string | null }): Promise<FourEyesSettings> {
  return db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: 1 }, select: { fourEyesEnabled: true, fourEyesThreshold: true } });
    await tx.organization.update({ where: { id: 1 }, data: { fourEyesEnabled: input.enabled, fourEyesThreshold: input.threshold } });
    await audit(tx, { actor: caller, action: "settings.four_eyes", entity: "organization", entityId: 1, before, after: input });
    forgetOrgSettings();
    return fourEyesSettings(tx);
  });
}

/**
 * Whether an amount (absolute value, in `currency`, valued on `day`) needs a second approver. Amounts in another
 * currency are converted at the stored rate of that day; with no rate the request is made anyway (never 1:1).
 */
export async function needsApproval(amount: Dec, currency: string, day: string): Promise<boolean> {
  const settings = await fourEyesSettings();
  if (!settings.enabled || settings.threshold === null) return false;
  const threshold = dec(settings.threshold);
  if (currency === settings.currency) return amount.abs().gte(threshold);
  const fx = await rateFor(currency, settings.currency, day);
  return fx === null || dec(convert(amount.abs().toFixed(), fx).toFixed()).gte(threshold);
}

export type ApprovalRequest = { kind: ApprovalKind; subjectId: number | null; amount: Dec; currency: string; payload?: Prisma.InputJsonValue };

/** Stores a pending request (or returns the one already pending for the same subject); audited. */
export async function requestApproval(caller: UserCaller, request: ApprovalRequest): Promise<ApprovalDto> {
  if (request.subjectId !== null) {
    const pending = await db.approval.findFirst({ where: { kind: request.kind, subjectId: request.subjectId, status: "pending" }, include: people });
    if (pending) return approvalDto(pending);
  }
  return db.$transaction(async (tx) => {
    const created = await tx.approval.create({
      data: { kind: request.kind, subjectId: request.subjectId, amount: request.amount.abs().toString(), currency: request.currency, payload: request.payload ?? {}, requestedById: caller.id },
      include: people,
    });
    await audit(tx, { actor: caller, action: "approval.request", entity: "approval", entityId: created.id, after: { kind: created.kind, subjectId: created.subjectId, amount: created.amount.toString(), currency: request.currency } });
    return approvalDto(created);
  });
}

const people = { requestedBy: { select: { id: true, name: true, email: true } }, decidedBy: { select: { id: true, name: true, email: true } } } as const;
type ApprovalRow = Prisma.ApprovalGetPayload<{ include: typeof people }>;

export function approvalDto(a: ApprovalRow): ApprovalDto {
  return {
    id: a.id,
    kind: a.kind as ApprovalKind,
    subjectId: a.subjectId,
    amount: moneyText(a.amount, a.currency.trim()),
    currency: a.currency.trim(),
    payload: a.payload as Record<string, unknown>,
    status: a.status as ApprovalDto["status"],
    requestedBy: a.requestedBy,
    requestedAt: a.requestedAt.toISOString(),
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    reason: a.reason,
    error: a.error,
  };
}

// Approvals cover organisation-wide actions: department-scoped callers get 403 (lib/auth/scope.ts).
export async function listApprovals(caller: Caller, filter: { status?: ApprovalDto["status"]; kind?: ApprovalKind }): Promise<ApprovalDto[]> {
  assertOrganizationWide(caller, "Approvals");
  const rows = await db.approval.findMany({ where: filter, include: people, orderBy: { requestedAt: "desc" }, take: 200 });
  return rows.map(approvalDto);
}

/** The pending requests for some subjects of a kind (e.g. the invoices on a list page): subject id → approval id. */
export async function pendingFor(kind: ApprovalKind, subjectIds: number[]): Promise<Map<number, number>> {
  if (subjectIds.length === 0) return new Map();
  const rows = await db.approval.findMany({ where: { kind, status: "pending", subjectId: { in: subjectIds } }, select: { id: true, subjectId: true } });
  return new Map(rows.map((r) => [r.subjectId!, r.id]));
}

/**
 * Records the decision on a pending request, under its row lock so two deciders cannot both win. The requester may
 * not decide their own request (403). Returns the request as decided; approving does not run the action (./actions.ts).
 */
export async function decideApproval(caller: UserCaller, id: number, decision: "approved" | "rejected", reason: string | null): Promise<ApprovalDto> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM approvals WHERE id = ${id} FOR UPDATE`;
    if (!row) throw new NotFoundError(`Approval ${id} not found`);
    const approval = await tx.approval.findUniqueOrThrow({ where: { id } });
    if (approval.status !== "pending") throw new ConflictError(`Approval ${id} is already ${approval.status}`);
    if (approval.requestedById === caller.id) {
      throw new ForbiddenError(`You requested approval ${id}; four-eyes approval needs a different finance or admin user to ${decision === "approved" ? "approve" : "reject"} it`);
    }
    const updated = await tx.approval.update({ where: { id }, data: { status: decision, decidedById: caller.id, decidedAt: new Date(), reason }, include: people });
    await audit(tx, { actor: caller, action: decision === "approved" ? "approval.approve" : "approval.reject", entity: "approval", entityId: id, before: { status: "pending" }, after: { status: decision, kind: approval.kind, subjectId: approval.subjectId, requestedById: approval.requestedById, reason } });
    return approvalDto(updated);
  });
}

/** After approval: the action's outcome (its subject, e.g. the run it started, or why it failed), audited. */
export async function recordOutcome(caller: UserCaller, id: number, outcome: { subjectId?: number; error?: string }): Promise<ApprovalDto> {
  return db.$transaction(async (tx) => {
    const updated = await tx.approval.update({
      where: { id },
      data: { ...(outcome.subjectId !== undefined ? { subjectId: outcome.subjectId } : {}), ...(outcome.error ? { status: "failed", error: outcome.error.slice(0, 2000) } : {}) },
      include: people,
    });
    if (outcome.error) await audit(tx, { actor: caller, action: "approval.fail", entity: "approval", entityId: id, after: { error: outcome.error } });
    return approvalDto(updated);
  });
}
