// The most recently received event the caller may see: the "waiting for your first event" indicator polls it.
import "server-only";
import { scopeSql } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import type { LatestEventResponse } from "./schemas";

type Row = { id: bigint; receivedAt: Date; timestamp: Date; type: string; agentKey: string; agentName: string; cost: Prisma.Decimal };

export async function latestEvent(caller: Caller): Promise<LatestEventResponse> {
  const org = await orgSettings();
  // Walks the primary key backwards, so it stops at the newest visible row instead of sorting the table.
  const rows = await db.$queryRaw<Row[]>(Prisma.sql`
    SELECT e.id, e.received_at AS "receivedAt", e.timestamp, e.type, a.key AS "agentKey", a.name AS "agentName", e.cost
    FROM usage_events e JOIN agents a ON a.id = e.agent_id
    WHERE TRUE ${scopeSql(caller, "e.department_id")}
    ORDER BY e.id DESC LIMIT 1`);
  const row = rows[0];
  if (!row) return { latest: null };
  return {
    latest: {
      id: row.id.toString(),
      receivedAt: row.receivedAt.toISOString(),
      timestamp: row.timestamp.toISOString(),
      type: row.type,
      agent: { key: row.agentKey, name: row.agentName },
      cost: new Prisma.Decimal(row.cost).toFixed(),
      currency: org.currency,
    },
  };
}

/**
 * Whether any event is visible to the caller (dashboards show "what to do next" when there is none).
 * Reads the core daily rollup (equal to the raw events, far fewer rows) so a scoped check stays cheap.
 */
export async function hasEvents(caller: Caller): Promise<boolean> {
  const rows = await db.$queryRaw<{ any: boolean }[]>(Prisma.sql`
    SELECT EXISTS (SELECT 1 FROM usage_rollup_daily_core r WHERE TRUE ${scopeSql(caller, "r.department_id")}) AS any`);
  return rows[0]?.any ?? false;
}
