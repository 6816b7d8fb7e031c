// The audit trail: one call per configuration change or billing action, inside the same transaction as the change.
import "server-only";
import { callerLabel, type Caller } from "@/lib/auth/caller";
import { Prisma } from "@/lib/generated/prisma/client";

/** Field names that hold secrets; they never reach the audit log even as hashes. */
const SECRET_FIELDS = new Set(["passwordHash", "hash", "secret", "password", "clientSecret"]);

export type AuditEntry = {
  /** Who did it; null for the system itself (e.g. SSO provisioning, scheduled jobs). */
  actor: Caller | null;
  /** `<entity>.<verb>`, e.g. "agent.update", "invoice.finalize". */
  action: string;
  entity: string;
  entityId?: string | number | bigint | null;
  before?: unknown;
  after?: unknown;
};

/** Plain JSON: Decimals and Dates as strings, bigints as strings, secret fields dropped. */
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(
    JSON.stringify(value, (key, v) => (SECRET_FIELDS.has(key) ? undefined : typeof v === "bigint" ? v.toString() : v)),
  ) as Prisma.InputJsonValue;
}

/** Writes one audit row. Pass the transaction client so the record commits or rolls back with the change. */
export async function audit(tx: Pick<Prisma.TransactionClient, "auditLog">, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      actorId: entry.actor?.kind === "user" ? entry.actor.id : null,
      actor: entry.actor ? callerLabel(entry.actor) : "system",
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      before: toJson(entry.before),
      after: toJson(entry.after),
    },
  });
}
