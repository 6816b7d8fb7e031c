// One agent's page: trend, cost per task, outcomes, models used, departments served (daily rollup),
// and its recent raw events (keyset-paginated, newest first).
import "server-only";
import Decimal from "decimal.js";
import { NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgSettings } from "@/lib/org";
import { costPerTask, escalationRate } from "./figures";
import { bucketsOf, dayBucketSql, localDayIso } from "./buckets";
import { eventPage } from "./events";
import { checkDimensions, dailyRollup, filterSql } from "./filters";
import { daysOf, previousRange, resolveRange, type DayRange } from "./period";
import { conversionOf, datesOf, displayFx, fxSql, type FxSql } from "@/lib/currency/display";
import { NONE, PROPERTY_PREFIX, UNASSIGNED, type AgentQuery } from "./schemas";
import { scopeSql, visibleAgentIds } from "./scope";

type Sums = { events: bigint; cost: string; orgCost: string; unconverted: string; tasks: bigint; completed: bigint; escalated: bigint; failed: bigint };

/** `cost` in the display currency when `read` converts (lib/currency/display.ts fxSql), beside the org-currency sums. */
const sums = (read: FxSql) => Prisma.sql`
  coalesce(sum(r.events), 0)::bigint AS "events", coalesce(sum(${read.cost}), 0)::text AS "cost",
  coalesce(sum(r.cost), 0)::text AS "orgCost", ${read.unconverted}::text AS "unconverted",
  coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'agent'), 0)::bigint AS "tasks",
  coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'agent' AND r.task_status = 'completed'), 0)::bigint AS "completed",
  coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'agent' AND r.task_status = 'escalated'), 0)::bigint AS "escalated",
  coalesce(sum(r.events) FILTER (WHERE r.handled_by = 'agent' AND r.task_status = 'failed'), 0)::bigint AS "failed"`;

/** Cost per task = all of the agent's cost ÷ the tasks it handled (any outcome); rates are shares of those tasks. */
export function agentTotals(s: Sums) {
  const tasks = Number(s.tasks);
  return {
    events: Number(s.events),
    cost: new Decimal(s.cost).toFixed(),
    tasks,
    completed: Number(s.completed),
    escalated: Number(s.escalated),
    failed: Number(s.failed),
    successRate: tasks ? Number(s.completed) / tasks : null,
    escalationRate: escalationRate(s.escalated, tasks),
    costPerTask: costPerTask(s.cost, tasks),
  };
}

/** The agent, if the caller may see it; an out-of-scope agent is reported as not found, revealing nothing. */
async function findAgent(caller: Caller, key: string) {
  const agent = await db.agent.findUnique({ where: { key }, include: { department: { select: { code: true, name: true } } } });
  const visible = await visibleAgentIds(caller);
  if (!agent || (visible && !visible.includes(agent.id))) throw new NotFoundError(`Agent '${key}' not found`);
  return agent;
}

export async function agentDetail(caller: Caller, org: OrgSettings, key: string, q: AgentQuery) {
  await checkDimensions(Object.keys(q.filters.properties), org, (n) => `${PROPERTY_PREFIX}${n}`);
  const agent = await findAgent(caller, key);
  const range = resolveRange(q, org.timeZone);
  const previous = previousRange(range);
  const where = Prisma.sql`r.agent_id = ${agent.id} ${filterSql(caller, { ...q.filters, agent: undefined })}`;
  const days = (r: DayRange) => Prisma.sql`r.day BETWEEN ${r.from}::date AND ${r.to}::date`;
  const rollup = dailyRollup(q.filters);
  // A display currency: each local day at its own rate; each bucket, model and department row rounded once, the
  // totals the sum of the rounded buckets (the previous period, one figure, rounded once).
  const fx = await displayFx(org.currency, q.currency, [...daysOf(previous), ...daysOf(range)]);
  const read = fxSql(fx);
  const SUMS = sums(read);
  const [buckets, [prior], models, departments] = await Promise.all([
    db.$queryRaw<(Sums & { bucket: string })[]>(Prisma.sql`
      SELECT to_char(${Prisma.raw(dayBucketSql(q.granularity))}, 'YYYY-MM-DD') AS "bucket", ${SUMS}
      FROM ${rollup} r ${read.join} WHERE ${days(range)} AND ${where} GROUP BY ${Prisma.raw(dayBucketSql(q.granularity))}`),
    db.$queryRaw<Sums[]>(Prisma.sql`SELECT ${SUMS} FROM ${rollup} r ${read.join} WHERE ${days(previous)} AND ${where}`),
    db.$queryRaw<{ model: string; events: bigint; cost: string; orgCost: string; tokens: string }[]>(Prisma.sql`
      SELECT r.model AS "model", sum(r.events)::bigint AS "events", coalesce(sum(${read.cost}), 0)::text AS "cost", sum(r.cost)::text AS "orgCost",
             sum(r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_creation_tokens + r.reasoning_tokens)::text AS "tokens"
      FROM ${rollup} r ${read.join} WHERE ${days(range)} AND ${where} GROUP BY 1 ORDER BY coalesce(sum(${read.cost}), 0) DESC, 1`),
    db.$queryRaw<{ key: string | null; name: string | null; events: bigint; cost: string; orgCost: string }[]>(Prisma.sql`
      SELECT d.code AS "key", d.name AS "name", sum(r.events)::bigint AS "events", coalesce(sum(${read.cost}), 0)::text AS "cost", sum(r.cost)::text AS "orgCost"
      FROM ${rollup} r ${read.join} LEFT JOIN departments d ON d.id = r.department_id
      WHERE ${days(range)} AND ${where} GROUP BY r.department_id, 1, 2 ORDER BY coalesce(sum(${read.cost}), 0) DESC, 1`),
  ]);
  for (const b of [...buckets, ...(prior ? [prior] : [])]) b.cost = read.round(b.cost);
  const zero: Sums = { events: 0n, cost: "0", orgCost: "0", unconverted: "0", tasks: 0n, completed: 0n, escalated: 0n, failed: 0n };
  const plus = (a: string, b: string) => new Decimal(a).plus(b).toFixed();
  const total = buckets.reduce(
    (a, b) => ({
      events: a.events + b.events,
      cost: plus(a.cost, b.cost),
      orgCost: plus(a.orgCost, b.orgCost),
      unconverted: plus(a.unconverted, b.unconverted),
      tasks: a.tasks + b.tasks,
      completed: a.completed + b.completed,
      escalated: a.escalated + b.escalated,
      failed: a.failed + b.failed,
    }),
    zero,
  );
  const byBucket = new Map(buckets.map((b) => [b.bucket, b]));
  const rangeDays = daysOf(range);
  const keys = bucketsOf(range, q.granularity);
  // With a display currency: the org-currency amount and the rate dates beside each converted row.
  const orgOf = (row: { orgCost: string }, ds: string[] = rangeDays) => (fx ? { orgCost: new Decimal(row.orgCost).toFixed(), rateDates: datesOf(ds.map((d) => fx.rates.get(d))) } : {});
  const totalsOf = (s: Sums) => ({ ...agentTotals(s), ...(fx && { orgCost: new Decimal(s.orgCost).toFixed(), unconverted: new Decimal(s.unconverted).toFixed() }) });
  return {
    currency: fx?.to ?? org.currency,
    orgCurrency: org.currency,
    conversion: fx && conversionOf(fx, rangeDays),
    timeZone: org.timeZone,
    from: range.from,
    to: range.to,
    granularity: q.granularity,
    agent: {
      key: agent.key,
      name: agent.name,
      platform: agent.platform,
      model: agent.model,
      status: agent.status,
      shared: agent.shared,
      tags: agent.tags,
      department: agent.department ? { key: agent.department.code, name: agent.department.name } : null,
    },
    totals: totalsOf(total),
    previous: { from: previous.from, to: previous.to, totals: totalsOf(prior ?? zero) },
    series: keys.map((b, i) => {
      const s = byBucket.get(b) ?? zero;
      const ds = rangeDays.filter((d) => d >= b && (i + 1 === keys.length || d < keys[i + 1]!));
      return { start: localDayIso(b, org.timeZone), cost: new Decimal(s.cost).toFixed(), ...orgOf(s, ds), ...(fx && { unconverted: new Decimal(s.unconverted).toFixed() }), events: Number(s.events), tasks: Number(s.tasks) };
    }),
    models: models.map((m) => ({ model: m.model || NONE, events: Number(m.events), cost: read.round(m.cost), ...orgOf(m), tokens: Number(m.tokens) })),
    departments: departments.map((d) => ({ key: d.key ?? UNASSIGNED, name: d.name ?? "Unassigned", events: Number(d.events), cost: read.round(d.cost), ...orgOf(d) })),
  };
}

export type AgentDetail = Awaited<ReturnType<typeof agentDetail>>;

/** Raw events of one agent in the range, newest first; `cursor` continues after the last row of the previous page. */
export async function agentEvents(caller: Caller, org: OrgSettings, key: string, q: { from?: string; to?: string; limit: number; cursor?: string }) {
  const agent = await findAgent(caller, key);
  return eventPage(org, resolveRange(q, org.timeZone), Prisma.sql` AND e.agent_id = ${agent.id} ${scopeSql(caller, "coalesce(e.department_id, 0)")}`, q);
}
