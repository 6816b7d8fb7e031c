// Reading the audit log: newest first, filtered, paged by id (stable while new rows arrive).
import "server-only";
import type { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { auditQuery } from "./schemas";

export async function listAuditLog(query: z.output<typeof auditQuery>) {
  const where: Prisma.AuditLogWhereInput = {
    ...(query.actor ? { actor: { contains: query.actor, mode: "insensitive" } } : {}),
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.entity ? { entity: query.entity } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.from || query.to ? { at: { gte: query.from ? new Date(query.from) : undefined, lt: query.to ? new Date(query.to) : undefined } } : {}),
    ...(query.before ? { id: { lt: BigInt(query.before) } } : {}),
  };
  const rows = await db.auditLog.findMany({ where, orderBy: { id: "desc" }, take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({ ...r, id: r.id.toString() })),
    nextBefore: rows.length > query.limit ? page.at(-1)!.id.toString() : null,
  };
}
