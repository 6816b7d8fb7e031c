// Events awaiting an FX rate (usage_events.fx_pending): their cost counts as 0 until a rate arrives, so every cost
// figure names them. Read from the raw events through a partial index (they are few), in the caller's departments.
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { scopeSql } from "@/lib/analytics/scope";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import type { FxPendingResponse } from "./schemas";

const LISTED = 100;

export async function fxPending(caller: Caller): Promise<FxPendingResponse> {
  const org = await orgSettings();
  const rows = await db.$queryRaw<{ currency: string; day: string; events: number; amount: string; total: number }[]>(Prisma.sql`
    SELECT trim(e.original_currency) AS "currency", to_char((e.timestamp AT TIME ZONE ${org.timeZone})::date, 'YYYY-MM-DD') AS "day",
      count(*)::int AS "events", trim_scale(sum(e.original_cost))::text AS "amount", (sum(count(*)) OVER ())::int AS "total"
    FROM usage_events e
    WHERE e.fx_pending ${scopeSql(caller, "e.department_id")}
    GROUP BY 1, 2
    ORDER BY 2 DESC, 1
    LIMIT ${LISTED}`);
  return { currency: org.currency, events: rows[0]?.total ?? 0, items: rows.map((r) => ({ currency: r.currency, day: r.day, events: r.events, amount: r.amount })) };
}
