// Department scoping enforced in SQL: a scoped user's queries only ever see their departments' rows.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Caller } from "@/lib/auth/caller";

/** Department ids the caller is limited to, or null for all. API keys see everything their scope allows. */
export function departmentScope(caller: Caller): number[] | null {
  return caller.kind === "user" ? caller.departmentIds : null;
}

/** `AND <column> = ANY(...)` for scoped callers; nothing otherwise. Column is a trusted identifier. */
export function scopeSql(caller: Caller, column: string): Prisma.Sql {
  const ids = departmentScope(caller);
  return ids ? Prisma.sql` AND ${Prisma.raw(column)} = ANY(${ids}::int[])` : Prisma.empty;
}

/**
 * Agents a scoped caller may see: those whose default department is in scope, plus those that did work
 * booked to one of the caller's departments (shared agents). null = all agents.
 */
export async function visibleAgentIds(caller: Caller): Promise<number[] | null> {
  const ids = departmentScope(caller);
  if (!ids) return null;
  const rows = await db.$queryRaw<{ id: number }[]>(Prisma.sql`
    SELECT id FROM agents WHERE department_id = ANY(${ids}::int[])
    UNION
    SELECT DISTINCT agent_id FROM usage_rollup_daily_core WHERE department_id = ANY(${ids}::int[])`);
  return rows.map((r) => r.id);
}
