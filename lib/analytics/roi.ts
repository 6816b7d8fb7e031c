// ROI of agents per agent / department / task type, from the daily rollup and the task types' human baselines.
import "server-only";
import Decimal from "decimal.js";
import type { Caller } from "@/lib/auth/caller";
import { ROW_PROBE, checkRowCap } from "@/lib/api/limits";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgSettings } from "@/lib/org";
import { costPerTask, roiRatio } from "./figures";
import { checkDimensions, dailyRollup, filterSql, groupKeySql, groupLabels } from "./filters";
import { rangeLength, resolveRange } from "./period";
import { PROPERTY_PREFIX, type RoiQuery, type RoiResponse } from "./schemas";

/** Shown next to the numbers, so a reader knows exactly what they mean. */
export const ROI_METHOD = [
  "Tasks = agent-handled tasks with status 'completed' (escalated and failed tasks save nothing).",
  "Hours saved = tasks × the task type's baseline minutes ÷ 60.",
  "Value = tasks × baseline minutes ÷ 60 × the task type's loaded hourly cost.",
  "Cost = the cost of every event in the group and period: an agent's or department's whole spend, including work not tied to a task type. " +
    "By task type, the cost of the events carrying that task type; spend without a task type is its own row, so every grouping adds up to the same total.",
  "Cost per task = cost ÷ the tasks agents handled (any outcome), as on Workload and the agent page.",
  "Net = value − cost. ROI = net ÷ cost (above 10,000 % it is shown as \"> 10,000 %\", the value and cost beside it). Payback = cost ÷ value per day of the period (days of value that pay for the period's cost).",
  "Baselines are today's values, applied to the whole period. Value and hours are rounded to cents/hundredths; totals are rounded from unrounded sums.",
];

type Sums = { key: string; tasks: bigint; handled: bigint; minutes: string; valueMinutes: string; cost: string };

export function roiMetrics(s: Omit<Sums, "key">, days: number) {
  const value = new Decimal(s.valueMinutes).div(60).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const cost = new Decimal(s.cost);
  const net = value.minus(cost);
  return {
    tasks: Number(s.tasks),
    hoursSaved: new Decimal(s.minutes).div(60).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    value: value.toFixed(2),
    cost: cost.toFixed(),
    net: net.toFixed(),
    roi: roiRatio(value, cost),
    costPerTask: costPerTask(cost, s.handled),
    paybackDays: value.isZero() ? null : cost.times(days).div(value).toDecimalPlaces(1).toNumber(),
  };
}

export async function assumptions() {
  const types = await db.taskType.findMany({ orderBy: { key: "asc" } });
  return types.map((t) => ({
    taskType: t.key,
    name: t.name,
    baselineMinutes: t.baselineMinutes.toFixed(2),
    loadedHourlyCost: t.loadedHourlyCost.toFixed(2),
    updatedAt: t.updatedAt.toISOString(),
  }));
}

export type BaselineOverride = { taskType: string; baselineMinutes: string; loadedHourlyCost: string };

/**
 * The task types' baselines as a relation: the official ones, with a what-if's overrides (scenarios) on top.
 * The ROI definition itself does not change; only the baselines fed into it do.
 */
function baselinesSql(overrides: readonly BaselineOverride[]): Prisma.Sql {
  if (overrides.length === 0) return Prisma.sql`task_types`;
  const values = Prisma.join(overrides.map((o) => Prisma.sql`(${o.taskType}, ${o.baselineMinutes}::numeric, ${o.loadedHourlyCost}::numeric)`));
  return Prisma.sql`(SELECT tt.key, coalesce(o.minutes, tt.baseline_minutes) AS baseline_minutes, coalesce(o.cost, tt.loaded_hourly_cost) AS loaded_hourly_cost
    FROM task_types tt LEFT JOIN (VALUES ${values}) AS o(key, minutes, cost) ON o.key = tt.key)`;
}

export async function roi(caller: Caller, org: OrgSettings, q: RoiQuery, overrides: readonly BaselineOverride[] = []): Promise<RoiResponse> {
  await checkDimensions(Object.keys(q.filters.properties), org, (n) => `${PROPERTY_PREFIX}${n}`);
  const range = resolveRange(q, org.timeZone);
  const days = rangeLength(range);
  const done = Prisma.sql`FILTER (WHERE r.handled_by = 'agent' AND r.task_status = 'completed')`;
  const [groups, label, assumed] = await Promise.all([
    db.$queryRaw<Sums[]>(Prisma.sql`
      SELECT (${groupKeySql(q.groupBy)})::text AS "key",
             coalesce(sum(r.events) ${done}, 0)::bigint AS "tasks",
             coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'agent'), 0)::bigint AS "handled",
             coalesce(sum(r.events * coalesce(t.baseline_minutes, 0)) ${done}, 0)::text AS "minutes",
             coalesce(sum(r.events * coalesce(t.baseline_minutes, 0) * coalesce(t.loaded_hourly_cost, 0)) ${done}, 0)::text AS "valueMinutes",
             sum(r.cost)::text AS "cost"
      FROM ${dailyRollup(q.filters, q.groupBy)} r LEFT JOIN ${baselinesSql(overrides)} t ON t.key = r.task_type
      WHERE r.day BETWEEN ${range.from}::date AND ${range.to}::date ${filterSql(caller, q.filters)}
      GROUP BY ${groupKeySql(q.groupBy)}
      LIMIT ${ROW_PROBE}`),
    groupLabels(q.groupBy),
    assumptions(),
  ]);
  checkRowCap(groups.length, "groups", "narrow the filters or group by something coarser");
  const total = groups.reduce(
    (a, g) => ({
      tasks: a.tasks + g.tasks,
      handled: a.handled + g.handled,
      minutes: new Decimal(a.minutes).plus(g.minutes).toFixed(),
      valueMinutes: new Decimal(a.valueMinutes).plus(g.valueMinutes).toFixed(),
      cost: new Decimal(a.cost).plus(g.cost).toFixed(),
    }),
    { tasks: 0n, handled: 0n, minutes: "0", valueMinutes: "0", cost: "0" },
  );
  const rows = groups
    .map((g) => ({ ...label(g.key), ...roiMetrics(g, days) }))
    .sort((a, b) => new Decimal(b.net).comparedTo(a.net) || a.key.localeCompare(b.key));
  return {
    currency: org.currency,
    from: range.from,
    to: range.to,
    groupBy: q.groupBy,
    rows,
    totals: roiMetrics(total, days),
    assumptions: assumed.map((a) => {
      const o = overrides.find((x) => x.taskType === a.taskType);
      return o ? { ...a, baselineMinutes: new Decimal(o.baselineMinutes).toFixed(2), loadedHourlyCost: new Decimal(o.loadedHourlyCost).toFixed(2) } : a;
    }),
    method: ROI_METHOD,
  };
}
