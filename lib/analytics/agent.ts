// One agent's page: trend, cost per task, outcomes, models used, departments served (daily rollup),
// and its recent raw events (keyset-paginated, newest first).
import "server-only";
import Decimal from "decimal.js";
import { BadRequestError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgSettings } from "@/lib/org";
import { costPerTask } from "./figures";
import { bucketsOf, dayBucketSql, localDayIso } from "./buckets";
import { checkDimensions, dailyRollup, filterSql } from "./filters";
import { previousRange, resolveRange, type DayRange } from "./period";
import { NONE, PROPERTY_PREFIX, UNASSIGNED, type AgentQuery } from "./schemas";
import { scopeSql, visibleAgentIds } from "./scope";

type Sums = { events: bigint; cost: string; tasks: bigint; completed: bigint; escalated: bigint; failed: bigint };

const SUMS = Prisma.sql`
  coalesce(sum(r.events), 0)::bigint AS "events", coalesce(sum(r.cost), 0)::text AS "cost",
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
    escalationRate: tasks ? Number(s.escalated) / tasks : null,
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
  const [buckets, [prior], models, departments] = await Promise.all([
    db.$queryRaw<(Sums & { bucket: string })[]>(Prisma.sql`
      SELECT to_char(${Prisma.raw(dayBucketSql(q.granularity))}, 'YYYY-MM-DD') AS "bucket", ${SUMS}
      FROM ${rollup} r WHERE ${days(range)} AND ${where} GROUP BY ${Prisma.raw(dayBucketSql(q.granularity))}`),
    db.$queryRaw<Sums[]>(Prisma.sql`SELECT ${SUMS} FROM ${rollup} r WHERE ${days(previous)} AND ${where}`),
    db.$queryRaw<{ model: string; events: bigint; cost: string; tokens: string }[]>(Prisma.sql`
      SELECT r.model AS "model", sum(r.events)::bigint AS "events", sum(r.cost)::text AS "cost",
             sum(r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_creation_tokens + r.reasoning_tokens)::text AS "tokens"
      FROM ${rollup} r WHERE ${days(range)} AND ${where} GROUP BY 1 ORDER BY sum(r.cost) DESC, 1`),
    db.$queryRaw<{ key: string | null; name: string | null; events: bigint; cost: string }[]>(Prisma.sql`
      SELECT d.code AS "key", d.name AS "name", sum(r.events)::bigint AS "events", sum(r.cost)::text AS "cost"
      FROM ${rollup} r LEFT JOIN departments d ON d.id = r.department_id
      WHERE ${days(range)} AND ${where} GROUP BY r.department_id, 1, 2 ORDER BY sum(r.cost) DESC, 1`),
  ]);
  const zero: Sums = { events: 0n, cost: "0", tasks: 0n, completed: 0n, escalated: 0n, failed: 0n };
  const total = buckets.reduce(
    (a, b) => ({
      events: a.events + b.events,
      cost: new Decimal(a.cost).plus(b.cost).toFixed(),
      tasks: a.tasks + b.tasks,
      completed: a.completed + b.completed,
      escalated: a.escalated + b.escalated,
      failed: a.failed + b.failed,
    }),
    zero,
  );
  const byBucket = new Map(buckets.map((b) => [b.bucket, b]));
  return {
    currency: org.currency,
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
    totals: agentTotals(total),
    previous: { from: previous.from, to: previous.to, totals: agentTotals(prior ?? zero) },
    series: bucketsOf(range, q.granularity).map((b) => {
      const s = byBucket.get(b);
      return { start: localDayIso(b, org.timeZone), cost: s ? new Decimal(s.cost).toFixed() : "0", events: Number(s?.events ?? 0), tasks: Number(s?.tasks ?? 0) };
    }),
    models: models.map((m) => ({ model: m.model || NONE, events: Number(m.events), cost: m.cost, tokens: Number(m.tokens) })),
    departments: departments.map((d) => ({ key: d.key ?? UNASSIGNED, name: d.name ?? "Unassigned", events: Number(d.events), cost: d.cost })),
  };
}

export type AgentDetail = Awaited<ReturnType<typeof agentDetail>>;

function decodeCursor(cursor: string): { at: Date; id: bigint } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!at || !id || !/^\d+$/.test(id) || Number.isNaN(date.getTime())) {
    throw new BadRequestError("Invalid query parameters", [{ path: "cursor", message: "is not a cursor returned by this API" }]);
  }
  return { at: date, id: BigInt(id) };
}

function encodeCursor(at: Date, id: bigint): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
}

type EventRow = {
  id: bigint;
  timestamp: Date;
  type: string;
  department: string | null;
  customer: string | null;
  model: string | null;
  quantity: string;
  cost: string;
  costSource: "reported" | "computed" | "unpriced" | "none";
  priceId: number | null;
  priceRule: string | null;
  serviceTier: string | null;
  inputTokens: bigint;
  outputTokens: bigint;
  taskType: string | null;
  handledBy: string | null;
  taskStatus: string | null;
  durationSeconds: string | null;
  properties: Record<string, unknown>;
  source: string;
  key: string;
  correctionKind: "reversal" | "correction" | null;
  correctsEventId: string | null;
  correctedBy: { kind: "reversal" | "correction"; reason: string; reversalEventId: string; correctedEventId: string | null } | null;
};

/** Raw events of one agent in the range, newest first; `cursor` continues after the last row of the previous page. */
export async function agentEvents(caller: Caller, org: OrgSettings, key: string, q: { from?: string; to?: string; limit: number; cursor?: string }) {
  const agent = await findAgent(caller, key);
  const range = resolveRange(q, org.timeZone);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const rows = await db.$queryRaw<EventRow[]>(Prisma.sql`
    SELECT e.id AS "id", e.timestamp AS "timestamp", e.type AS "type", d.code AS "department", c.key AS "customer", e.model AS "model",
           e.quantity::text AS "quantity", e.cost::text AS "cost",
           CASE WHEN e.reported_cost IS NOT NULL THEN 'reported' WHEN e.computed_cost IS NOT NULL THEN 'computed'
                WHEN e.unpriced THEN 'unpriced' ELSE 'none' END AS "costSource",
           e.computed_price_id AS "priceId", e.price_rule AS "priceRule", e.service_tier AS "serviceTier",
           e.input_tokens AS "inputTokens", e.output_tokens AS "outputTokens",
           e.task_type AS "taskType", e.handled_by AS "handledBy", e.task_status AS "taskStatus",
           e.duration_seconds::text AS "durationSeconds", e.properties AS "properties",
           e.source AS "source", e.event_key AS "key", e.correction_kind AS "correctionKind", e.corrects_event_id::text AS "correctsEventId",
           CASE WHEN ec.id IS NULL THEN NULL ELSE jsonb_build_object('kind', ec.kind, 'reason', ec.reason,
             'reversalEventId', ec.reversal_event_id::text, 'correctedEventId', ec.corrected_event_id::text) END AS "correctedBy"
    FROM usage_events e
    LEFT JOIN departments d ON d.id = e.department_id
    LEFT JOIN customers c ON c.id = e.customer_id
    LEFT JOIN event_corrections ec ON ec.source = e.source AND ec.original_key = e.event_key
    WHERE e.agent_id = ${agent.id}
      AND e.timestamp >= (${range.from}::date::timestamp AT TIME ZONE ${org.timeZone})
      AND e.timestamp < ((${range.to}::date + 1)::timestamp AT TIME ZONE ${org.timeZone})
      ${after ? Prisma.sql`AND (e.timestamp, e.id) < (${after.at}::timestamptz, ${after.id}::bigint)` : Prisma.empty}
      ${scopeSql(caller, "coalesce(e.department_id, 0)")}
    ORDER BY e.timestamp DESC, e.id DESC
    LIMIT ${q.limit + 1}`);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    events: page.map((e) => ({
      ...e,
      id: e.id.toString(),
      timestamp: e.timestamp.toISOString(),
      inputTokens: Number(e.inputTokens),
      outputTokens: Number(e.outputTokens),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.timestamp, last.id) : null,
  };
}
