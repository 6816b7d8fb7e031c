// Reads what the month-end forecast (./forecast.ts) needs from the daily rollup: the organization's first day with
// data and the spend of the plan's ranges, in one statement each.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Caller } from "@/lib/auth/caller";
import { forecastFigures, forecastPlan, planFrom, type Forecast, type ForecastPlan } from "./forecast";
import { scopeSql } from "./scope";

/** The organization's first local day with any usage (the start of its history), or null. */
export async function firstDataDay(): Promise<string | null> {
  const [row] = await db.$queryRaw<{ day: string | null }[]>(Prisma.sql`SELECT to_char(min(day), 'YYYY-MM-DD') AS "day" FROM usage_rollup_daily_core`);
  return row?.day ?? null;
}

export async function forecastPlanFor(month: string, today: string): Promise<ForecastPlan> {
  return forecastPlan(month, today, await firstDataDay());
}

const between = (range: { from: string; to: string } | null) =>
  range ? Prisma.sql`r.day BETWEEN ${range.from}::date AND ${range.to}::date` : Prisma.sql`false`;

/** The forecast of all spend the caller may see (booked department scope), for `month` as of `today`. */
export async function spendForecast(caller: Caller, month: string, today: string): Promise<Forecast> {
  const plan = await forecastPlanFor(month, today);
  const from = planFrom(plan);
  const to = [plan.complete?.to, plan.partial, plan.window?.to].filter((d): d is string => Boolean(d)).sort().pop();
  if (!from || !to) return forecastFigures(plan, { complete: 0, partial: 0, window: 0 });
  const [row] = await db.$queryRaw<{ complete: string; partial: string; window: string }[]>(Prisma.sql`
    SELECT coalesce(sum(r.cost) FILTER (WHERE ${between(plan.complete)}), 0)::text AS "complete",
           coalesce(sum(r.cost) FILTER (WHERE r.day = ${plan.partial ?? "1900-01-01"}::date), 0)::text AS "partial",
           coalesce(sum(r.cost) FILTER (WHERE ${between(plan.window)}), 0)::text AS "window"
    FROM usage_rollup_daily_core r
    WHERE r.day BETWEEN ${from}::date AND ${to}::date ${scopeSql(caller, "r.department_id")}`);
  return forecastFigures(plan, { complete: row?.complete ?? 0, partial: row?.partial ?? 0, window: row?.window ?? 0 });
}
