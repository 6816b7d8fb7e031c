// Department scoping enforced in SQL: a scoped user's queries only ever see their departments' rows.
import "server-only";
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
