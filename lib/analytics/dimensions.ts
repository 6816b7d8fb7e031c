// Custom dimensions: event properties promoted into the rollups' `dims`, so dashboards group and filter by them
// at rollup speed. Changing the list rebuilds both rollups from raw events (minutes at tens of millions of events).
import "server-only";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { forgetOrgSettings } from "@/lib/org";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { assertNothingRemoved } from "@/lib/retention/boundary";
import { scopeSql } from "./scope";

/** Each dimension multiplies rollup rows by its number of values; a few keep dashboards fast. */
export const MAX_DIMENSIONS = 5;

/**
 * Promoted dimensions and property names seen in the latest events (candidates to promote). A department-scoped
 * caller's candidates come from their departments' events only.
 */
export async function listDimensions(caller: Caller) {
  const [org, seen] = await Promise.all([
    db.organization.findUnique({ where: { id: 1 }, select: { dimensions: true } }),
    // A sample of recent events (timestamp index), not a scan of the whole table.
    db.$queryRaw<{ name: string }[]>(Prisma.sql`
      SELECT DISTINCT jsonb_object_keys(properties) AS "name"
      FROM (SELECT properties FROM usage_events WHERE true${scopeSql(caller, "department_id")} ORDER BY timestamp DESC LIMIT 5000) recent
      ORDER BY 1 LIMIT 200`),
  ]);
  const promoted = org?.dimensions ?? [];
  return { dimensions: promoted, candidates: seen.map((s) => s.name).filter((n) => !promoted.includes(n)) };
}

async function setDimensions(caller: Caller, action: "promote" | "demote", next: (current: string[]) => string[]) {
  await assertNothingRemoved(`Changing the dimensions`);
  await db.$transaction(async (tx) => {
    // Row lock: two admins changing the list at once must not lose one change.
    const [org] = await tx.$queryRaw<{ dimensions: string[] }[]>(Prisma.sql`SELECT dimensions FROM organizations WHERE id = 1 FOR UPDATE`);
    const current = org?.dimensions ?? [];
    const updated = next(current);
    await tx.organization.update({ where: { id: 1 }, data: { dimensions: updated } });
    await audit(tx, { actor: caller, action: `dimension.${action}`, entity: "organization", entityId: 1, before: { dimensions: current }, after: { dimensions: updated } });
  });
  forgetOrgSettings();
  await rebuildRollups(pool);
  return listDimensions(caller);
}

export async function promoteDimension(caller: Caller, name: string) {
  return setDimensions(caller, "promote", (current) => {
    if (current.includes(name)) throw new ConflictError(`'${name}' is already a dimension`);
    if (current.length >= MAX_DIMENSIONS) throw new ConflictError(`At most ${MAX_DIMENSIONS} dimensions; demote one first`);
    return [...current, name];
  });
}

export async function demoteDimension(caller: Caller, name: string) {
  return setDimensions(caller, "demote", (current) => {
    if (!current.includes(name)) throw new NotFoundError(`'${name}' is not a dimension`);
    return current.filter((n) => n !== name);
  });
}
