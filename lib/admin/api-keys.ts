// API keys for the admin pages: create (secret returned once), list with last use, revoke. All audited.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import { createApiKey, keyPolicySelect } from "@/lib/auth/api-keys";
import type { Caller } from "@/lib/auth/caller";
import { forgetCachedApiKeys } from "@/lib/budgets/service";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { apiKeyCreate, apiKeyUpdate } from "./schemas";

const keySelect = {
  id: true,
  name: true,
  prefix: true,
  source: true,
  scopes: true,
  rateLimitPerMinute: true,
  usageSource: true,
  ...keyPolicySelect,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  createdBy: { select: { email: true } },
} as const;

type KeyRow = Prisma.ApiKeyGetPayload<{ select: typeof keySelect }>;

/** The API's view: bound departments by code (stored as ids), the ceiling as a decimal string. */
async function present(client: Pick<typeof db, "department">, keys: KeyRow[]) {
  const ids = [...new Set(keys.flatMap((k) => k.allowedDepartmentIds))];
  const codes = new Map((await client.department.findMany({ where: { id: { in: ids } }, select: { id: true, code: true } })).map((d) => [d.id, d.code]));
  return keys.map(({ allowedDepartmentIds, maxCostPerEvent, ...k }) => ({
    ...k,
    allowedDepartments: allowedDepartmentIds.map((id) => codes.get(id) ?? `#${id}`),
    maxCostPerEvent: maxCostPerEvent?.toFixed() ?? null,
  }));
}

export async function listApiKeys() {
  return present(db, await db.apiKey.findMany({ select: keySelect, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] }));
}

export async function createApiKeyAudited(caller: Caller, input: z.output<typeof apiKeyCreate>) {
  return db.$transaction(async (tx) => {
    const { allowedDepartments, ...rest } = input;
    const departments = await tx.department.findMany({ where: { code: { in: allowedDepartments } }, select: { id: true, code: true } });
    const unknown = allowedDepartments.filter((code) => !departments.some((d) => d.code === code));
    if (unknown.length) throw new BadRequestError("Invalid request body", [{ path: "allowedDepartments", message: `no department with code ${unknown.join(", ")}` }]);
    const { key, secret } = await createApiKey(
      { ...rest, allowedDepartmentIds: departments.map((d) => d.id), createdById: caller.kind === "user" ? caller.id : null },
      tx,
    );
    const [created] = await present(tx, [await tx.apiKey.findUniqueOrThrow({ where: { id: key.id }, select: keySelect })]);
    await audit(tx, { actor: caller, action: "api_key.create", entity: "api_key", entityId: key.id, after: created });
    return { key: created!, secret };
  });
}

/** Changes a live key's usage source; it applies from the key's next request. */
export async function updateApiKey(caller: Caller, id: number, input: z.output<typeof apiKeyUpdate>) {
  return db.$transaction(async (tx) => {
    const before = await tx.apiKey.findUnique({ where: { id }, select: keySelect });
    if (!before) throw new NotFoundError("No such API key");
    if (before.revokedAt) throw new ConflictError("This key is revoked");
    await tx.apiKey.update({ where: { id }, data: { usageSource: input.usageSource } });
    const [after] = await present(tx, [await tx.apiKey.findUniqueOrThrow({ where: { id }, select: keySelect })]);
    await audit(tx, { actor: caller, action: "api_key.update", entity: "api_key", entityId: id, before, after });
    return after!;
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
  }).finally(forgetCachedApiKeys); // budget checks on this instance stop accepting it before this returns
}
