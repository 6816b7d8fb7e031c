// Choices for the dashboard filter bars. Entities come from their tables; event types and models from the
// last 90 days of the daily rollup, cached briefly because that read is the only non-trivial one.
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgSettings } from "@/lib/org";
import { lastDays } from "./period";
import { NONE, UNASSIGNED } from "./schemas";
import { departmentScope, visibleAgentIds } from "./scope";

let seen: { at: number; types: string[]; models: string[] } | undefined;

async function typesAndModels(timeZone: string, scope: number[] | null) {
  const { from } = lastDays(timeZone, 90);
  // A scoped caller's choices come from their departments' rows only (not cached: the cache is organisation-wide).
  if (scope) {
    const rows = await db.$queryRaw<{ type: string; model: string }[]>(Prisma.sql`
      SELECT DISTINCT type AS "type", model AS "model" FROM usage_rollup_daily_core WHERE day >= ${from}::date AND department_id = ANY(${scope}::int[])`);
    return { types: [...new Set(rows.map((r) => r.type))].sort(), models: [...new Set(rows.map((r) => r.model))].sort() };
  }
  if (seen && Date.now() - seen.at < 60_000) return seen;
  const rows = await db.$queryRaw<{ type: string; model: string }[]>(Prisma.sql`
    SELECT DISTINCT type AS "type", model AS "model" FROM usage_rollup_daily_core WHERE day >= ${from}::date`);
  seen = { at: Date.now(), types: [...new Set(rows.map((r) => r.type))].sort(), models: [...new Set(rows.map((r) => r.model))].sort() };
  return seen;
}

let seenProviders: { at: number; providers: string[] } | undefined;

/** Providers (the built-in dimension) of the last 90 days' events: from the full daily rollup's dims. */
async function providers(timeZone: string, scope: number[] | null): Promise<string[]> {
  if (!scope && seenProviders && Date.now() - seenProviders.at < 60_000) return seenProviders.providers;
  const { from } = lastDays(timeZone, 90);
  const rows = await db.$queryRaw<{ provider: string }[]>(Prisma.sql`
    SELECT DISTINCT dims ->> 'provider' AS "provider" FROM usage_rollup_daily
    WHERE day >= ${from}::date AND dims ? 'provider' ${scope ? Prisma.sql`AND department_id = ANY(${scope}::int[])` : Prisma.empty} ORDER BY 1`);
  const list = rows.map((r) => r.provider);
  if (!scope) seenProviders = { at: Date.now(), providers: list };
  return list;
}

async function customersInScope(scope: number[], timeZone: string): Promise<number[]> {
  const { from } = lastDays(timeZone, 90);
  const rows = await db.$queryRaw<{ id: number }[]>(Prisma.sql`
    SELECT DISTINCT customer_id AS "id" FROM usage_rollup_daily_customer
    WHERE day >= ${from}::date AND department_id = ANY(${scope}::int[]) AND customer_id IS NOT NULL`);
  return rows.map((r) => r.id);
}

export async function filterOptions(caller: Caller, org: OrgSettings) {
  const scope = departmentScope(caller);
  const agentIds = await visibleAgentIds(caller);
  const [departments, agents, customers, recent, taskTypes, providerList] = await Promise.all([
    db.department.findMany({ where: scope ? { id: { in: scope } } : {}, orderBy: { name: "asc" }, select: { code: true, name: true } }),
    db.agent.findMany({ where: agentIds ? { id: { in: agentIds } } : {}, orderBy: { name: "asc" }, select: { key: true, name: true } }),
    // Customers are organisation-wide: a scoped caller only sees those billed in their departments' events.
    db.customer.findMany({
      where: scope ? { id: { in: await customersInScope(scope, org.timeZone) } } : {},
      orderBy: { name: "asc" },
      select: { key: true, name: true },
    }),
    typesAndModels(org.timeZone, scope),
    db.taskType.findMany({ orderBy: { name: "asc" }, select: { key: true, name: true } }),
    providers(org.timeZone, scope),
  ]);
  return {
    departments: [...departments.map((d) => ({ key: d.code, label: d.name })), ...(scope ? [] : [{ key: UNASSIGNED, label: "Unassigned" }])],
    agents: agents.map((a) => ({ key: a.key, label: a.name })),
    models: recent.models.map((m) => (m === "" ? { key: NONE, label: "No model" } : { key: m, label: m })),
    customers: [...customers.map((c) => ({ key: c.key, label: c.name })), { key: NONE, label: "No customer" }],
    types: recent.types.map((t) => ({ key: t, label: t })),
    taskTypes: [...taskTypes.map((t) => ({ key: t.key, label: t.name })), { key: NONE, label: "No task type" }],
    providers: [...providerList.map((p) => ({ key: p, label: p })), { key: NONE, label: "No provider" }],
    dimensions: org.dimensions,
  };
}
