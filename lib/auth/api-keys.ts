// API keys: random secrets shown once, stored as SHA-256 (a slow hash adds nothing for 240-bit random secrets).
import "server-only";
import { randomBytes } from "node:crypto";
import { hashSecret } from "./secret-hash";
import { db } from "@/lib/db";
import type { KeyPolicy } from "@/lib/ingest/policy";
import { apiKeyScopes, type ApiKeyScope } from "./permissions";

export function generateApiKeySecret(): string {
  return "al_" + randomBytes(30).toString("base64url");
}

/** Creates a key and returns its secret — the only time it is available. */
export async function createApiKey(input: {
  name: string;
  scopes: ApiKeyScope[];
  source?: string;
  rateLimitPerMinute?: number | null;
  usageSource?: "traces" | "metrics";
  createdById?: number | null;
  /** Ingestion bindings and flags; anything left out is the new-key default (unbound, may not create, may not backdate). */
} & Partial<KeyPolicy>, client: Pick<typeof db, "apiKey"> = db) {
  const secret = generateApiKeySecret();
  const key = await client.apiKey.create({
    data: {
      name: input.name,
      prefix: secret.slice(0, 10),
      hash: hashSecret(secret),
      source: input.source ?? `key-${randomBytes(6).toString("hex")}`,
      scopes: input.scopes,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      usageSource: input.usageSource ?? "traces",
      createdById: input.createdById ?? null,
      allowedAgents: input.allowedAgents ?? [],
      allowedDepartmentIds: input.allowedDepartmentIds ?? [],
      allowedCustomers: input.allowedCustomers ?? [],
      maxCostPerEvent: input.maxCostPerEvent ?? null,
      mayCreateEntities: input.mayCreateEntities ?? false,
      mayWriteFinalized: input.mayWriteFinalized ?? false,
    },
  });
  return { key, secret };
}

/** What a key may write (lib/ingest/policy.ts): read by ingestion and shown on the admin page. */
export const keyPolicySelect = {
  allowedAgents: true,
  allowedDepartmentIds: true,
  allowedCustomers: true,
  maxCostPerEvent: true,
  mayCreateEntities: true,
  mayWriteFinalized: true,
} as const;

const lastUsedWrites = new Map<number, number>();

export async function findApiKey(secret: string) {
  if (secret.length > 200) return null;
  const key = await db.apiKey.findUnique({
    where: { hash: hashSecret(secret) },
    select: {
      id: true,
      prefix: true,
      source: true,
      scopes: true,
      rateLimitPerMinute: true,
      usageSource: true,
      revokedAt: true,
      ...keyPolicySelect,
    },
  });
  if (!key || key.revokedAt) return null;
  // last_used_at is informative; write it at most once a minute per key to keep the hot path read-only.
  const now = Date.now();
  if ((lastUsedWrites.get(key.id) ?? 0) < now - 60_000) {
    lastUsedWrites.set(key.id, now);
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    id: key.id,
    prefix: key.prefix,
    source: key.source,
    scopes: key.scopes.filter((s): s is ApiKeyScope => (apiKeyScopes as readonly string[]).includes(s)),
    rateLimitPerMinute: key.rateLimitPerMinute,
    usageSource: key.usageSource,
    // Loaded with the key, so ingestion checks it without another query.
    policy: {
      allowedAgents: key.allowedAgents,
      allowedDepartmentIds: key.allowedDepartmentIds,
      allowedCustomers: key.allowedCustomers,
      maxCostPerEvent: key.maxCostPerEvent?.toFixed() ?? null,
      mayCreateEntities: key.mayCreateEntities,
      mayWriteFinalized: key.mayWriteFinalized,
    } satisfies KeyPolicy,
  };
}
