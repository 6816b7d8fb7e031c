// The signed-in user's own security settings: password, sign out everywhere, linked SSO identities; and the admin's
// "sign out everywhere" for another user.
import "server-only";
import { randomBytes } from "node:crypto";
import { hashSecret } from "@/lib/auth/secret-hash";
import bcrypt from "bcryptjs";
import { audit } from "@/lib/audit";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import { db, pool } from "@/lib/db";
import type { Caller, UserCaller } from "./caller";

/** The cookie that carries a link intent through the identity provider's redirect to next-auth's callback. */
export const LINK_COOKIE = "agentledger.sso-link";
export const LINK_TTL_SECONDS = 10 * 60;


export async function accountOverview(caller: UserCaller, providers: { id: string; name: string }[]) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: caller.id },
    select: {
      passwordHash: true,
      twoFactor: { select: { enabledAt: true } },
      identities: { select: { id: true, provider: true, email: true, createdAt: true, lastLoginAt: true }, orderBy: { id: "asc" } },
      _count: { select: { recoveryCodes: { where: { usedAt: null } }, sessions: { where: { expiresAt: { gt: new Date() } } } } },
    },
  });
  return {
    id: caller.id,
    email: caller.email,
    name: caller.name,
    role: caller.role,
    passwordLogin: user.passwordHash !== null,
    twoFactor: { enabled: user.twoFactor?.enabledAt != null, recoveryCodesLeft: user.twoFactor?.enabledAt ? user._count.recoveryCodes : 0 },
    mustEnrolTwoFactor: caller.mustEnrolTwoFactor ?? false,
    activeSessions: user._count.sessions,
    identities: user.identities,
    providers,
  };
}

/** Changes the caller's own password; every other session of theirs ends, this one stays. */
export async function changeOwnPassword(caller: UserCaller, input: { currentPassword: string; newPassword: string }) {
  const user = await db.user.findUniqueOrThrow({ where: { id: caller.id }, select: { passwordHash: true } });
  if (!user.passwordHash) throw new ConflictError("This account signs in through SSO and has no password");
  if (!(await bcrypt.compare(input.currentPassword, user.passwordHash))) {
    throw new BadRequestError("Invalid request body", [{ path: "currentPassword", message: "Wrong password" }]);
  }
  const passwordHash = await bcrypt.hash(input.newPassword, 12);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: caller.id }, data: { passwordHash } });
    await tx.$executeRaw`DELETE FROM user_sessions WHERE user_id = ${caller.id} AND id IS DISTINCT FROM ${caller.sessionId ?? null}`;
    await audit(tx, { actor: caller, action: "user.password_change", entity: "user", entityId: caller.id });
  });
  return { changed: true };
}

/** Ends every session of a user (the caller's own, or, for an admin, anyone's), except `keep`. */
export async function signOutEverywhere(caller: Caller, userId: number, keep: string | null = null) {
  const exists = await db.user.count({ where: { id: userId } });
  if (!exists) throw new NotFoundError("No such user");
  const { rowCount } = await pool.query("DELETE FROM user_sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2", [userId, keep]);
  await db.$transaction((tx) => audit(tx, { actor: caller, action: "user.sign_out_everywhere", entity: "user", entityId: userId }));
  return { sessionsEnded: rowCount ?? 0 };
}

/**
 * Starts linking an SSO identity to the signed-in account: a one-time token (10 minutes) that the sign-in callback
 * consumes. The caller sets it as a cookie, then sends the browser to the provider.
 */
export async function createLinkIntent(caller: UserCaller, provider: string, providers: { id: string }[]) {
  if (!providers.some((p) => p.id === provider)) {
    throw new BadRequestError("Invalid request body", [{ path: "provider", message: "No such sign-in provider" }]);
  }
  const token = randomBytes(32).toString("base64url");
  await db.ssoLinkIntent.deleteMany({ where: { OR: [{ userId: caller.id }, { expiresAt: { lt: new Date() } }] } });
  await db.ssoLinkIntent.create({
    data: { tokenHash: hashSecret(token), userId: caller.id, provider, expiresAt: new Date(Date.now() + LINK_TTL_SECONDS * 1000) },
  });
  return token;
}

/** Consumes a link intent for this provider; returns the user who asked for it. */
export async function consumeLinkIntent(token: string | undefined, provider: string): Promise<number | null> {
  if (!token) return null;
  const { rows } = await pool.query<{ user_id: number }>(
    "DELETE FROM sso_link_intents WHERE token_hash = $1 AND provider = $2 AND expires_at > now() RETURNING user_id",
    [hashSecret(token), provider],
  );
  return rows[0]?.user_id ?? null;
}

/** Unlinks one of the caller's identities, unless it is their only way to sign in. */
export async function unlinkIdentity(caller: UserCaller, identityId: number) {
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: caller.id },
      select: { passwordHash: true, identities: { select: { id: true, provider: true, issuer: true, subject: true } } },
    });
    const identity = user.identities.find((i) => i.id === identityId);
    if (!identity) throw new NotFoundError("No such linked identity");
    if (!user.passwordHash && user.identities.length === 1) throw new ConflictError("This is your only way to sign in; it cannot be unlinked");
    await tx.userIdentity.delete({ where: { id: identityId } });
    await audit(tx, { actor: caller, action: "user.identity_unlink", entity: "user", entityId: caller.id, before: identity });
  });
  return { unlinked: true };
}
