// API keys for the admin pages: create (secret returned once), list with last use, revoke. All audited.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { createApiKey } from "@/lib/auth/api-keys";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import type { apiKeyCreate } from "./schemas";

const keySelect = {
  id: true,
  name: true,
  prefix: true,
  source: true,
  scopes: true,
  rateLimitPerMinute: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  createdBy: { select: { email: true } },
} as const;

export async function listApiKeys() {
  return db.apiKey.findMany({ select: keySelect, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] });
}

export async function createApiKeyAudited(caller: Caller, input: z.output<typeof apiKeyCreate>) {
  return db.$transaction(async (tx) => {
    const { key, secret } = await createApiKey({ ...input, createdById: caller.kind === "user" ? caller.id : null }, tx);
    const created = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: keySelect });
    await audit(tx, { actor: caller, action: "api_key.create", entity: "api_key", entityId: key.id, after: created });
    return { key: created, secret };
  });
}

export async function revokeApiKey(caller: Caller, id: number) {
  return db.$transaction(async (tx) => {
    const before = await tx.apiKey.findUnique({ where: { id }, select: keySelect });
    if (!before) throw new NotFoundError("No such API key");
    if (before.revokedAt) throw new ConflictError("This key is already revoked");
    const after = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: keySelect });
    await audit(tx, { actor: caller, action: "api_key.revoke", entity: "api_key", entityId: id, before, after });
    return after;
  });
}
