// Global filters as SQL over rollup rows aliased `r`, plus the labels of group keys.
// Filters name things by their public keys; unknown keys simply match nothing (empty results, not errors).
import "server-only";
import { BadRequestError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { forgetOrgSettings, orgSettings, type OrgSettings } from "@/lib/org";
import { NONE, UNASSIGNED, type Filters } from "./schemas";
import { scopeSql } from "./scope";

/**
 * Promoted-dimension names used by a query must exist, or the request is malformed. A name missing from the
 * (briefly cached) settings is checked again against the database: another instance may have just promoted it.
 */
export async function checkDimensions(names: string[], org: OrgSettings, param: (name: string) => string) {
  if (names.every((n) => org.dimensions.includes(n))) return;
  forgetOrgSettings();
  const promoted = (await orgSettings()).dimensions;
  const unknown = names.filter((n) => !promoted.includes(n));
  if (unknown.length) {
    throw new BadRequestError(
      "Invalid query parameters",
      unknown.map((n) => ({ path: param(n), message: `'${n}' is not a promoted dimension (promoted: ${promoted.join(", ") || "none"})` })),
    );
  }
}

/** `AND ...` for every filter and the caller's department scope. */
export function filterSql(caller: Caller, f: Filters): Prisma.Sql {
  const parts: Prisma.Sql[] = [scopeSql(caller, "r.department_id")];
  if (f.agent) parts.push(Prisma.sql` AND r.agent_id IN (SELECT id FROM agents WHERE key = ANY(${f.agent}::text[]))`);
  if (f.department) {
    parts.push(Prisma.sql` AND r.department_id IN (SELECT id FROM departments WHERE code = ANY(${f.department}::text[])
      UNION ALL SELECT 0 WHERE ${UNASSIGNED} = ANY(${f.department}::text[]))`);
  }
  if (f.customer) {
    parts.push(Prisma.sql` AND r.customer_id IN (SELECT id FROM customers WHERE key = ANY(${f.customer}::text[])
      UNION ALL SELECT 0 WHERE ${NONE} = ANY(${f.customer}::text[]))`);
  }
  if (f.model) parts.push(Prisma.sql` AND r.model = ANY(${f.model.map((m) => (m === NONE ? "" : m))}::text[])`);
  if (f.type) parts.push(Prisma.sql` AND r.type = ANY(${f.type}::text[])`);
  if (f.taskType) parts.push(Prisma.sql` AND r.task_type = ANY(${f.taskType.map((t) => (t === NONE ? "" : t))}::text[])`);
  if (f.provider) parts.push(Prisma.sql` AND coalesce(r.dims ->> 'provider', '') = ANY(${f.provider.map((p) => (p === NONE ? "" : p))}::text[])`);
  for (const [name, values] of Object.entries(f.properties)) {
    parts.push(Prisma.sql` AND coalesce(r.dims ->> ${name}, '') = ANY(${values.map((v) => (v === NONE ? "" : v))}::text[])`);
  }
  return Prisma.join(parts, "");
}

export type GroupDimension = "department" | "agent" | "customer" | "model" | "type" | "task_type" | "provider" | "none" | `property:${string}`;

/** Whether a query groups or filters by customer, provider or a promoted property, keys only the full rollups have. */
function needsFullRollup(f: Filters, groupBy: GroupDimension): boolean {
  return Boolean(f.customer) || Boolean(f.provider) || Object.keys(f.properties).length > 0 || groupBy === "customer" || groupBy === "provider" || groupBy.startsWith("property:");
}

/** The daily rollup a query reads: the core one (no customer or dimension keys, ~3× fewer rows) when it can. */
export function dailyRollup(f: Filters, groupBy: GroupDimension = "none"): Prisma.Sql {
  return Prisma.raw(needsFullRollup(f, groupBy) ? "usage_rollup_daily" : "usage_rollup_daily_core");
}

/**
 * Usage's daily rollup: the day × customer × agent × department one (~7× fewer rows than the full daily rollup, ~2×
 * fewer than the core one) when the query groups and filters by nothing else. It holds no other key, so only Usage's
 * sums read it.
 */
export function usageDailyRollup(f: Filters, groupBy: GroupDimension): Prisma.Sql {
  // Listed by what it may filter on, so a filter added later falls back to the rollups that hold its key.
  const filtersOnKeys = Object.entries(f).every(
    ([name, value]) => value === undefined || ["agent", "department", "customer"].includes(name) || (name === "properties" && Object.keys(value).length === 0),
  );
  return filtersOnKeys && ["none", "agent", "department", "customer"].includes(groupBy) ? Prisma.raw("usage_rollup_daily_customer") : dailyRollup(f, groupBy);
}

/** The hourly rollup a query reads, chosen like dailyRollup(). */
export function hourlyRollup(f: Filters, groupBy: GroupDimension = "none"): Prisma.Sql {
  return Prisma.raw(needsFullRollup(f, groupBy) ? "usage_rollup_hourly" : "usage_rollup_hourly_core");
}

/** Group key over rollup rows `r`: ids for entities (labelled afterwards), raw values otherwise; cast to text after grouping. */
export function groupKeySql(groupBy: GroupDimension): Prisma.Sql {
  switch (groupBy) {
    case "none":
      return Prisma.sql`''`;
    case "department":
      return Prisma.sql`r.department_id`;
    case "agent":
      return Prisma.sql`r.agent_id`;
    case "customer":
      return Prisma.sql`r.customer_id`;
    case "model":
      return Prisma.sql`r.model`;
    case "type":
      return Prisma.sql`r.type`;
    case "task_type":
      return Prisma.sql`r.task_type`;
    case "provider":
      // The built-in dimension (lib/rollups/sql.ts): properties.provider of the events.
      return Prisma.sql`coalesce(r.dims ->> 'provider', '')`;
    default:
      return Prisma.sql`coalesce(r.dims ->> ${groupBy.slice("property:".length)}, '')`;
  }
}

export type Label = { key: string; label: string };

/** Maps raw group keys (ids or values) to public keys and display names. */
export async function groupLabels(groupBy: GroupDimension): Promise<(raw: string) => Label> {
  const byId = async (rows: Promise<{ id: number; key: string; name: string }[]>, none: Label) => {
    const map = new Map((await rows).map((r) => [String(r.id), { key: r.key, label: r.name }]));
    return (raw: string) => (raw === "0" ? none : map.get(raw) ?? { key: raw, label: raw });
  };
  switch (groupBy) {
    case "department":
      return byId(db.department.findMany({ select: { id: true, code: true, name: true } }).then((rows) => rows.map((d) => ({ id: d.id, key: d.code, name: d.name }))), {
        key: UNASSIGNED,
        label: "Unassigned",
      });
    case "agent":
      return byId(db.agent.findMany({ select: { id: true, key: true, name: true } }), { key: "0", label: "Unknown agent" });
    case "customer":
      return byId(db.customer.findMany({ select: { id: true, key: true, name: true } }), { key: NONE, label: "No customer" });
    case "task_type": {
      const names = new Map((await db.taskType.findMany({ select: { key: true, name: true } })).map((t) => [t.key, t.name]));
      return (raw) => (raw === "" ? { key: NONE, label: "No task type" } : { key: raw, label: names.get(raw) ?? raw });
    }
    case "none":
      return () => ({ key: "all", label: "All usage" });
    default:
      return (raw) => (raw === "" ? { key: NONE, label: groupBy === "model" ? "No model" : groupBy === "provider" ? "No provider" : "(not set)" } : { key: raw, label: raw });
  }
}
