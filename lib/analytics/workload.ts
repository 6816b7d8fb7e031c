// Agent vs human workload per task type / department / agent, and over time, from the daily rollup.
// A task is an event with `handled_by` set. Human cost of a task = its duration × the task type's loaded hourly
// cost. Agent cost per task = all of the group's cost ÷ agent tasks (./figures.ts, the agent page's figure); the
// task-linked cost per task counts only events attributed to task work (task type set, not handled by a human).
// Groups with no task work are left out of the rows but not of the totals, so the totals' cost per task is the
// whole period's cost ÷ its agent tasks.
import "server-only";
import Decimal from "decimal.js";
import type { Caller } from "@/lib/auth/caller";
import { ROW_PROBE, checkRowCap } from "@/lib/api/limits";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgSettings } from "@/lib/org";
import { costPerTask, escalationRate } from "./figures";
import { bucketsOf, dayBucketSql, localDayIso } from "./buckets";
import { checkDimensions, dailyRollup, filterSql, groupKeySql, groupLabels } from "./filters";
import { resolveRange } from "./period";
import { PROPERTY_PREFIX, type WorkloadQuery, type WorkloadResponse } from "./schemas";

type Sums = {
  agentTasks: bigint;
  humanTasks: bigint;
  agentSeconds: string;
  humanSeconds: string;
  cost: string;
  taskCost: string;
  /** Σ duration_seconds × loaded hourly cost; ÷ 3600 gives money. */
  humanCostSeconds: string;
  escalations: bigint;
};

const SUMS = Prisma.sql`
  coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'agent'), 0)::bigint AS "agentTasks",
  coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'human'), 0)::bigint AS "humanTasks",
  coalesce(sum(r.duration_seconds) FILTER (WHERE r.handled_by = 'agent'), 0)::text AS "agentSeconds",
  coalesce(sum(r.duration_seconds) FILTER (WHERE r.handled_by = 'human'), 0)::text AS "humanSeconds",
  coalesce(sum(r.cost), 0)::text AS "cost",
  coalesce(sum(r.cost) FILTER (WHERE r.task_type <> '' AND r.handled_by <> 'human'), 0)::text AS "taskCost",
  coalesce(sum(r.duration_seconds * coalesce(t.loaded_hourly_cost, 0)) FILTER (WHERE r.handled_by = 'human'), 0)::text AS "humanCostSeconds",
  coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'agent' AND r.task_status = 'escalated'), 0)::bigint AS "escalations"`;

/** Per-task ratios, rounded to 6 decimal places (half up); null when there is no task to divide by. */
export function workloadMetrics(s: Sums) {
  const agent = Number(s.agentTasks);
  const human = Number(s.humanTasks);
  const per = (amount: Decimal, n: number) => (n === 0 ? null : amount.div(n).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6));
  const avg = (seconds: string, n: number) => (n === 0 ? null : new Decimal(seconds).div(n).toDecimalPlaces(3).toNumber());
  return {
    agentTasks: agent,
    humanTasks: human,
    agentShare: agent + human === 0 ? null : agent / (agent + human),
    agentCostPerTask: costPerTask(s.cost, agent),
    taskLinkedCostPerTask: costPerTask(s.taskCost, agent),
    humanCostPerTask: per(new Decimal(s.humanCostSeconds).div(3600), human),
    agentAvgSeconds: avg(s.agentSeconds, agent),
    humanAvgSeconds: avg(s.humanSeconds, human),
    escalations: Number(s.escalations),
    escalationRate: escalationRate(s.escalations, agent),
  };
}

function addSums(a: Sums, b: Sums): Sums {
  const plus = (x: string, y: string) => new Decimal(x).plus(y).toFixed();
  return {
    agentTasks: a.agentTasks + b.agentTasks,
    humanTasks: a.humanTasks + b.humanTasks,
    agentSeconds: plus(a.agentSeconds, b.agentSeconds),
    humanSeconds: plus(a.humanSeconds, b.humanSeconds),
    cost: plus(a.cost, b.cost),
    taskCost: plus(a.taskCost, b.taskCost),
    humanCostSeconds: plus(a.humanCostSeconds, b.humanCostSeconds),
    escalations: a.escalations + b.escalations,
  };
}

const ZERO: Sums = { agentTasks: 0n, humanTasks: 0n, agentSeconds: "0", humanSeconds: "0", cost: "0", taskCost: "0", humanCostSeconds: "0", escalations: 0n };

export async function workload(caller: Caller, org: OrgSettings, q: WorkloadQuery): Promise<WorkloadResponse> {
  await checkDimensions(Object.keys(q.filters.properties), org, (n) => `${PROPERTY_PREFIX}${n}`);
  const range = resolveRange(q, org.timeZone);
  const from = Prisma.sql`${dailyRollup(q.filters, q.groupBy)} r LEFT JOIN task_types t ON t.key = r.task_type
    WHERE r.day BETWEEN ${range.from}::date AND ${range.to}::date ${filterSql(caller, q.filters)}`;
  // One scan: grouping sets give the rows per time bucket and per group together (buckets first, then at most ROW_PROBE groups).
  const key = groupKeySql(q.groupBy);
  const bucket = Prisma.raw(dayBucketSql(q.granularity));
  const [sets, label] = await Promise.all([
    db.$queryRaw<(Sums & { kind: "group" | "bucket"; key: string; bucket: string; taskWork: boolean })[]>(Prisma.sql`
      SELECT CASE WHEN GROUPING(${key}) = 0 THEN 'group' ELSE 'bucket' END AS "kind", (${key})::text AS "key",
             to_char(${bucket}, 'YYYY-MM-DD') AS "bucket", bool_or(r.task_type <> '' OR r.handled_by <> '') AS "taskWork", ${SUMS}
      FROM ${from} GROUP BY GROUPING SETS ((${key}), (${bucket}))
      ORDER BY 1 LIMIT ${bucketsOf(range, q.granularity).length + ROW_PROBE}`),
    groupLabels(q.groupBy),
  ]);
  const groups = sets.filter((g) => g.kind === "group");
  const buckets = sets.filter((g) => g.kind === "bucket");
  checkRowCap(groups.length, "groups", "narrow the filters or group by something coarser");
  const rows = groups
    .filter((g) => g.taskWork)
    .map((g) => ({ ...label(g.key), ...workloadMetrics(g) }))
    .sort((a, b) => b.agentTasks + b.humanTasks - (a.agentTasks + a.humanTasks) || a.key.localeCompare(b.key));
  const byBucket = new Map(buckets.map((b) => [b.bucket, b]));
  return {
    currency: org.currency,
    from: range.from,
    to: range.to,
    groupBy: q.groupBy,
    granularity: q.granularity,
    rows,
    totals: workloadMetrics(groups.reduce(addSums, ZERO)),
    series: bucketsOf(range, q.granularity).map((b) => {
      const s = byBucket.get(b);
      return { start: localDayIso(b, org.timeZone), agentTasks: Number(s?.agentTasks ?? 0), humanTasks: Number(s?.humanTasks ?? 0), escalations: Number(s?.escalations ?? 0) };
    }),
  };
}
