// Invitations: an admin invites by email; the invitee opens a signed, expiring, single-use link and sets a password.
// Only an HMAC of the link's token is stored (keyed by NEXTAUTH_SECRET), so neither a database reader nor anyone
// without the server's secret can forge or recover a link. Every change is audited.
import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import type { z } from "zod";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { hashPassword } from "@/lib/auth/passwords";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { invitationAccept, invitationCreate, InvitationCreated, InvitationView } from "./invitation-schemas";

export const INVITATION_DAYS = 7;
const include = { invitedBy: { select: { email: true } } } satisfies Prisma.InvitationInclude;
type Row = Prisma.InvitationGetPayload<{ include: typeof include }>;

const tokenHash = (token: string) => createHmac("sha256", env().NEXTAUTH_SECRET).update(`invitation:${token}`).digest("hex");

function status(i: Row, now: Date): InvitationView["status"] {
  if (i.acceptedAt) return "accepted";
  if (i.revokedAt) return "revoked";
  return i.expiresAt <= now ? "expired" : "pending";
}

function view(i: Row, now = new Date()): InvitationView {
  return {
    id: i.id,
    email: i.email,
    name: i.name,
    role: i.role,
    departmentIds: i.departmentIds,
    status: status(i, now),
    expiresAt: i.expiresAt.toISOString(),
    createdAt: i.createdAt.toISOString(),
    invitedBy: i.invitedBy?.email ?? null,
  };
}

const newToken = () => {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: tokenHash(token), expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000) };
};
const link = (origin: string, token: string) => `${origin.replace(/\/$/, "")}/invite/${token}`;

/** Invitations not yet accepted or revoked (expired ones too, so they can be re-sent), newest first. */
export async function listInvitations(): Promise<InvitationView[]> {
  const rows = await db.invitation.findMany({ where: { acceptedAt: null, revokedAt: null }, include, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 500 });
  return rows.map((r) => view(r));
}

export async function createInvitation(caller: Caller, input: z.output<typeof invitationCreate>, origin: string): Promise<InvitationCreated> {
  if (input.role === "admin" && input.departmentIds.length > 0) {
    throw new BadRequestError("Invalid request body", [{ path: "departmentIds", message: "an admin cannot be limited to departments; choose finance, ops or viewer" }]);
  }
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw new ConflictError(`A user with email ${input.email} already exists`);
    const found = await tx.department.count({ where: { id: { in: input.departmentIds } } });
    if (found !== new Set(input.departmentIds).size) throw new BadRequestError("Invalid request body", [{ path: "departmentIds", message: "Unknown department" }]);
    // One live invitation per email: a new one replaces the earlier link.
    await tx.invitation.updateMany({ where: { email: input.email, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    const { token, ...secret } = newToken();
    const row = await tx.invitation.create({
      data: { email: input.email, name: input.name, role: input.role, departmentIds: input.departmentIds, ...secret, invitedById: caller.kind === "user" ? caller.id : null },
      include,
    });
    const result = view(row);
    await audit(tx, { actor: caller, action: "invitation.create", entity: "invitation", entityId: row.id, after: result });
    return { ...result, link: link(origin, token) };
  });
}

async function live(tx: Prisma.TransactionClient, id: number): Promise<Row> {
  const row = await tx.invitation.findUnique({ where: { id }, include });
  if (!row || row.acceptedAt || row.revokedAt) throw new NotFoundError(`No pending invitation ${id}`);
  return row;
}

/** A new link and a new expiry; the previous link stops working. */
export async function resendInvitation(caller: Caller, id: number, origin: string): Promise<InvitationCreated> {
  return db.$transaction(async (tx) => {
    const before = await live(tx, id);
    const { token, ...secret } = newToken();
    const row = await tx.invitation.update({ where: { id }, data: secret, include });
    const result = view(row);
    await audit(tx, { actor: caller, action: "invitation.resend", entity: "invitation", entityId: id, before: view(before), after: result });
    return { ...result, link: link(origin, token) };
  });
}

export async function revokeInvitation(caller: Caller, id: number): Promise<InvitationView> {
  return db.$transaction(async (tx) => {
    const before = await live(tx, id);
    const row = await tx.invitation.update({ where: { id }, data: { revokedAt: new Date() }, include });
    await audit(tx, { actor: caller, action: "invitation.revoke", entity: "invitation", entityId: id, before: view(before), after: view(row) });
    return view(row);
  });
}

const UNUSABLE = "This invitation link is invalid, expired, revoked or already used. Ask your administrator for a new one.";

async function usable(tx: Prisma.TransactionClient, token: string): Promise<Row> {
  const row = await tx.invitation.findUnique({ where: { tokenHash: tokenHash(token) }, include });
  if (!row || status(row, new Date()) !== "pending") throw new NotFoundError(UNUSABLE);
  return row;
}

/** What the set-password page shows before the invitee chooses a password. */
export async function lookupInvitation(token: string) {
  const row = await db.$transaction((tx) => usable(tx, token));
  return { email: row.email, name: row.name, role: row.role, expiresAt: row.expiresAt.toISOString() };
}

/** Creates the user with the chosen password and uses the link up, in one transaction. */
export async function acceptInvitation(input: z.output<typeof invitationAccept>): Promise<{ email: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const row = await usable(tx, input.token);
    // Single use even under concurrent submits: only one update finds the invitation still open.
    const claimed = await tx.invitation.updateMany({ where: { id: row.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: new Date() } });
    if (claimed.count !== 1) throw new NotFoundError(UNUSABLE);
    if (await tx.user.findUnique({ where: { email: row.email }, select: { id: true } })) throw new ConflictError(`A user with email ${row.email} already exists: sign in instead`);
    const user = await tx.user.create({
      data: { email: row.email, name: row.name, role: row.role, passwordHash, departments: { create: row.departmentIds.map((departmentId) => ({ departmentId })) } },
      select: { id: true, email: true, role: true },
    });
    await audit(tx, { actor: null, action: "invitation.accept", entity: "invitation", entityId: row.id, after: { userId: user.id, email: user.email, role: user.role } });
    return { email: user.email };
  });
}
