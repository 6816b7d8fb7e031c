// The first admin of an empty production database, through the one-time link that start-up writes to a file
// (scripts/lib/production.ts). The token is stored as its sha256; using it marks it used in the same transaction.
import "server-only";
import { hashSecret } from "@/lib/auth/secret-hash";
import bcrypt from "bcryptjs";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { ApiError, ConflictError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import type { setupRequest } from "./schemas";

class GoneError extends ApiError {
  constructor() {
    super(410, "setup_link_invalid", "This setup link is invalid, expired or already used. Restart the server for a new one, or run `npm run admin:create`.");
  }
}


/** True while the token can still be used: known, unused, not expired, and no user exists yet. */
export async function setupTokenUsable(token: string): Promise<boolean> {
  const [found, users] = await Promise.all([
    db.setupToken.findFirst({ where: { tokenHash: hashSecret(token), usedAt: null, expiresAt: { gt: new Date() } }, select: { id: true } }),
    db.user.count(),
  ]);
  return found !== null && users === 0;
}

export async function completeSetup(input: z.output<typeof setupRequest>) {
  const passwordHash = await bcrypt.hash(input.password, 12);
  return db.$transaction(async (tx) => {
    // One setup at a time, so two requests with two valid links cannot both create a "first" admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agentledger.setup'))`;
    const used = await tx.setupToken.updateMany({
      where: { tokenHash: hashSecret(input.token), usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (used.count !== 1) throw new GoneError();
    if ((await tx.user.count()) > 0) throw new ConflictError("An admin already exists: sign in instead");
    await tx.organization.upsert({ where: { id: 1 }, create: { id: 1, name: input.organizationName }, update: {} });
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, role: "admin", passwordHash },
      select: { id: true, email: true, name: true, role: true },
    });
    await audit(tx, { actor: null, action: "user.bootstrap", entity: "user", entityId: user.id, after: { ...user, via: "setup link" } });
    return { user: { ...user, role: "admin" as const } };
  });
}
