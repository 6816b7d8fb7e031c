// Meter aggregation: the one place that reads usage in bulk for billing. Whole local days without a pending mark come
// from the meter rollup (meter-rollup.ts folds them); the rest of the range — marked days, a partial first or last
// day — from raw events, every meter for every customer in one scan (FILTER per meter); all in one snapshot.
// Outcome meters (source "tasks") read the same rows: a task is an event carrying a task (task_type set), filtered
// by task type, who handled it, the agent and its status; their escalation figures come from the same scan.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { Dec } from "./money";

export type MeterDef = {
  id: number;
  key: string;
  eventType: string | null;
  propertyFilter: unknown;
  aggregation: string;
  property: string | null;
  source: string;
  taskType: string | null;
  handledBy: string | null;
  agentId: number | null;
  taskStatuses: string[];
};

/** Agent-handled tasks of an outcome meter's task type (and agent), and how many of them were escalated. */
export type EscalationStats = { agentTasks: Dec; escalated: Dec };

/**
 * Numeric event columns a meter may name instead of a JSON property (column names win). `total_tokens` is every
 * token column added up (input, output, cache read/creation, reasoning), the same figure clients put in a
 * `total_tokens` property, read from columns because parsing jsonb for millions of rows costs seconds.
 */
const COLUMNS: Record<string, Prisma.Sql> = {
  quantity: Prisma.sql`quantity`,
  cost: Prisma.sql`cost`,
  input_tokens: Prisma.sql`input_tokens`,
  output_tokens: Prisma.sql`output_tokens`,
  cache_read_tokens: Prisma.sql`cache_read_tokens`,
  cache_creation_tokens: Prisma.sql`cache_creation_tokens`,
  reasoning_tokens: Prisma.sql`reasoning_tokens`,
  total_tokens: Prisma.sql`(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens + reasoning_tokens)`,
  duration_seconds: Prisma.sql`duration_seconds`,
};

function numericValue(property: string): Prisma.Sql {
  // A non-numeric property is skipped rather than failing the whole billing run.
  return COLUMNS[property] ?? Prisma.sql`CASE WHEN jsonb_typeof(properties -> ${property}) = 'number' THEN (properties ->> ${property})::numeric END`;
}

/**
 * The rows a meter counts. `outcome = false` leaves out an outcome meter's handler and status filters: the tasks
 * its escalation rate is measured over (same task type, agent and event filters).
 */
function condition(meter: MeterDef, outcome = true): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (meter.source === "tasks") {
    parts.push(Prisma.sql`task_type IS NOT NULL`);
    if (meter.taskType) parts.push(Prisma.sql`task_type = ${meter.taskType}`);
    if (meter.agentId !== null) parts.push(Prisma.sql`agent_id = ${meter.agentId}`);
    if (outcome && meter.handledBy) parts.push(Prisma.sql`handled_by = ${meter.handledBy}`);
    if (outcome && meter.taskStatuses.length > 0) parts.push(Prisma.sql`task_status = ANY(${meter.taskStatuses}::text[])`);
  }
  if (meter.eventType) parts.push(Prisma.sql`type = ${meter.eventType}`);
  if (meter.propertyFilter && typeof meter.propertyFilter === "object" && Object.keys(meter.propertyFilter).length > 0) {
    parts.push(Prisma.sql`properties @> ${JSON.stringify(meter.propertyFilter)}::jsonb`);
  }
  return Prisma.join(parts, " AND ");
}

/**
 * The meter's aggregate over a set of rows, NULL when none matched. Sums and max combine exactly across days (the
 * rollup's rows), so a period is rollup days plus raw days; a distinct count does not, so unique_count reads raw only.
 */
export function partialSql(meter: MeterDef): Prisma.Sql {
  const where = condition(meter);
  const prop = meter.property ?? "";
  switch (meter.aggregation) {
    case "count":
      // event_sign: a reversal row (lib/corrections) takes its original out of the count.
      return Prisma.sql`sum(event_sign) FILTER (WHERE ${where})`;
    case "sum_quantity":
      return Prisma.sql`sum(quantity) FILTER (WHERE ${where})`;
    case "sum_property":
      return Prisma.sql`sum(${numericValue(prop)}) FILTER (WHERE ${where})`;
    case "max":
      return Prisma.sql`max(${numericValue(prop)}) FILTER (WHERE ${where})`;
    case "unique_count":
      return Prisma.sql`count(DISTINCT ${COLUMNS[prop] ?? Prisma.sql`properties ->> ${prop}`}) FILTER (WHERE ${where})`;
    default:
      throw new Error(`meter ${meter.key}: unknown aggregation '${meter.aggregation}'`);
  }
}

export const rolledUp = (meter: MeterDef) => meter.aggregation !== "unique_count";

/** An outcome meter's escalation figures (NULL when none): agent-handled tasks in its scope, and those escalated (net of reversals). */
function escalationSql(meter: MeterDef): [Prisma.Sql, Prisma.Sql] {
  const agentTasks = Prisma.sql`${condition(meter, false)} AND handled_by = 'agent'`;
  return [Prisma.sql`sum(event_sign) FILTER (WHERE ${agentTasks})`, Prisma.sql`sum(event_sign) FILTER (WHERE ${agentTasks} AND task_status = 'escalated')`];
}

/** A money meter's amount in each event's own currency: its original amount (pending conversion or not), else `cost`. */
const ORIGINAL_AMOUNT = Prisma.sql`CASE WHEN original_currency IS NULL THEN cost ELSE original_cost END`;

/**
 * One scan's aggregates as text, per meter i: "m{i}" its partial aggregate, "t{i}" and "x{i}" an outcome meter's
 * escalation figures and, with `amounts`, "a{i}" a money meter's sum in the events' own currency.
 */
export function scanColumns(meters: MeterDef[], amounts = false): Prisma.Sql[] {
  const as = (sql: Prisma.Sql, name: string) => Prisma.sql`(${sql})::text AS ${Prisma.raw(`"${name}"`)}`;
  return meters.flatMap((m, i) => [
    as(partialSql(m), `m${i}`),
    ...(m.source === "tasks" ? [as(escalationSql(m)[0], `t${i}`), as(escalationSql(m)[1], `x${i}`)] : []),
    ...(amounts && isCostMeter(m) ? [as(Prisma.sql`sum(${ORIGINAL_AMOUNT}) FILTER (WHERE ${condition(m)})`, `a${i}`)] : []),
  ]);
}

/**
 * Narrows the scan to rows some meter can count: the event meters' types, and tasks for outcome meters (which need
 * no event type). No narrowing when an event meter counts every type.
 */
export function scanNarrowing(meters: MeterDef[]): Prisma.Sql {
  const eventMeters = meters.filter((m) => m.source !== "tasks");
  if (eventMeters.some((m) => !m.eventType)) return Prisma.empty;
  const parts = eventMeters.length > 0 ? [Prisma.sql`type IN (${Prisma.join([...new Set(eventMeters.map((m) => m.eventType as string))])})`] : [];
  if (eventMeters.length < meters.length) parts.push(Prisma.sql`task_type IS NOT NULL`);
  return Prisma.sql`AND (${Prisma.join(parts, " OR ")})`;
}

export type Span = { start: Date; end: Date };

/** Events whose timestamp lies in one of the spans. */
export function inSpans(spans: Span[]): Prisma.Sql {
  return Prisma.sql`(${Prisma.join(spans.map((s) => Prisma.sql`(timestamp >= ${s.start} AND timestamp < ${s.end})`), " OR ")})`;
}

/** Adjacent spans joined, so a run of days is one index range. */
export function joinSpans(spans: Span[]): Span[] {
  const joined: Span[] = [];
  for (const s of spans) {
    const last = joined.at(-1);
    if (last && last.end.getTime() === s.start.getTime()) last.end = s.end;
    else joined.push({ ...s });
  }
  return joined;
}

/**
 * How [start, end) is read: the meter rollup for whole local days without a mark (meter-rollup.ts), raw events for
 * the rest (marked days, a partial first or last day). Read inside the caller's REPEATABLE READ transaction, so the
 * marks, the rollup and the events it then reads are one snapshot: a fold committing meanwhile changes none of them.
 */
export type ReadPlan = { timeZone: string; rollupDays: string[]; rawSpans: Span[] };

async function readPlan(tx: Prisma.TransactionClient, range: Span): Promise<ReadPlan> {
  const rows = await tx.$queryRaw<{ tz: string; day: string; start: Date; end: Date; clean: boolean }[]>(Prisma.sql`
    WITH z AS (SELECT coalesce((SELECT time_zone FROM organizations WHERE id = 1), 'UTC') AS tz),
    d AS (
      SELECT z.tz, g::date AS day, (g::date::timestamp AT TIME ZONE z.tz) AS day_start, ((g::date + 1)::timestamp AT TIME ZONE z.tz) AS day_end
      FROM z, generate_series((${range.start}::timestamptz AT TIME ZONE z.tz)::date, (${range.end}::timestamptz AT TIME ZONE z.tz)::date, interval '1 day') g)
    SELECT tz, to_char(day, 'YYYY-MM-DD') AS day, greatest(day_start, ${range.start}::timestamptz) AS start,
      least(day_end, ${range.end}::timestamptz) AS "end",
      day_start >= ${range.start}::timestamptz AND day_end <= ${range.end}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM meter_rollup_marks m WHERE m.day = d.day) AS clean
    FROM d WHERE day_end > ${range.start}::timestamptz AND day_start < ${range.end}::timestamptz
    ORDER BY d.day`);
  return {
    timeZone: rows[0]?.tz ?? "UTC",
    rollupDays: rows.filter((r) => r.clean).map((r) => r.day),
    rawSpans: joinSpans(rows.filter((r) => !r.clean).map((r) => ({ start: r.start, end: r.end }))),
  };
}

/** A read of the rollup plus raw events: one snapshot. JIT off: compiling this many aggregates costs PostgreSQL
 * seconds (measured: 2.8 of 3.7 s at 10M events) while the scan itself is I/O- and hash-bound. */
function snapshot<T>(read: (tx: Prisma.TransactionClient, plan: ReadPlan) => Promise<T>, range: Span): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SET LOCAL jit = off`;
      return read(tx, await readPlan(tx, range));
    },
    { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: 120_000 },
  );
}

export type MeterReadings = {
  /** customerId → meterId → quantity. Customers without events are absent. */
  quantities: Map<number, Map<number, Dec>>;
  /** customerId → outcome meterId → its escalation figures. */
  escalations: Map<number, Map<number, EscalationStats>>;
};

type Reading = { value: Dec | null; agentTasks: Dec; escalated: Dec };
type Text = string | number | null | undefined;

/**
 * Every meter's quantity for events in [start, end), per customer; outcome meters' escalation figures too. Rollup
 * days and raw spans are combined per meter (sums add, max takes the larger); unique_count reads the range raw.
 * `meters` are stored meters: the rollup holds each one's figures under its id, as defined when its days were folded.
 */
export async function meterQuantities(meters: MeterDef[], range: Span, customerIds?: number[]): Promise<MeterReadings> {
  const result: MeterReadings = { quantities: new Map(), escalations: new Map() };
  if (meters.length === 0) return result;
  const customers = customerIds ? Prisma.sql`AND customer_id = ANY(${customerIds}::int[])` : Prisma.empty;
  const partials = new Map<number, Map<number, Reading>>();
  const add = (customerId: number, meter: MeterDef, value: Text, agentTasks: Text, escalated: Text) => {
    const byMeter = partials.get(customerId) ?? new Map<number, Reading>();
    partials.set(customerId, byMeter);
    const p = byMeter.get(meter.id) ?? { value: null, agentTasks: new Dec(0), escalated: new Dec(0) };
    byMeter.set(meter.id, p);
    if (value !== null && value !== undefined) {
      const v = new Dec(String(value));
      p.value = p.value === null ? v : meter.aggregation === "max" ? Dec.max(p.value, v) : p.value.plus(v);
    }
    if (agentTasks !== null && agentTasks !== undefined) p.agentTasks = p.agentTasks.plus(String(agentTasks));
    if (escalated !== null && escalated !== undefined) p.escalated = p.escalated.plus(String(escalated));
  };
  const rolled = meters.filter(rolledUp);
  await snapshot(async (tx, plan) => {
    const scan = async (scanned: MeterDef[], spans: Span[]) => {
      if (scanned.length === 0 || spans.length === 0) return;
      const rows = await tx.$queryRaw<Record<string, Text>[]>(Prisma.sql`
        SELECT customer_id AS "customerId", ${Prisma.join(scanColumns(scanned))}
        FROM usage_events
        WHERE ${inSpans(spans)} AND customer_id IS NOT NULL ${scanNarrowing(scanned)} ${customers}
        GROUP BY customer_id`);
      for (const row of rows) scanned.forEach((m, i) => add(Number(row.customerId), m, row[`m${i}`], row[`t${i}`], row[`x${i}`]));
    };
    await scan(rolled, plan.rawSpans);
    await scan(meters.filter((m) => !rolledUp(m)), [range]);
    if (rolled.length === 0 || plan.rollupDays.length === 0) return;
    const rows = await tx.$queryRaw<{ customerId: number; meterId: number; sum: Text; max: Text; t: Text; x: Text }[]>(Prisma.sql`
      SELECT customer_id AS "customerId", meter_id AS "meterId", sum(value)::text AS "sum", max(value)::text AS "max",
        sum(agent_tasks)::text AS "t", sum(escalated)::text AS "x"
      FROM meter_rollup_daily
      WHERE day = ANY(${plan.rollupDays}::date[]) AND meter_id = ANY(${rolled.map((m) => m.id)}::int[]) ${customers}
      GROUP BY 1, 2`);
    const byId = new Map(rolled.map((m) => [m.id, m]));
    for (const r of rows) {
      const m = byId.get(r.meterId)!;
      add(r.customerId, m, m.aggregation === "max" ? r.max : r.sum, r.t, r.x);
    }
  }, range);
  for (const [customerId, byMeter] of partials) {
    result.quantities.set(customerId, new Map(meters.map((m) => [m.id, byMeter.get(m.id)?.value ?? new Dec(0)])));
    const stats = new Map<number, EscalationStats>();
    for (const m of meters) {
      if (m.source !== "tasks") continue;
      const p = byMeter.get(m.id);
      stats.set(m.id, { agentTasks: p?.agentTasks ?? new Dec(0), escalated: p?.escalated ?? new Dec(0) });
    }
    result.escalations.set(customerId, stats);
  }
  return result;
}

/** A money meter: the sum of event costs. Its quantity is valued in the invoice currency from each event's own currency. */
export function isCostMeter(meter: MeterDef): boolean {
  return meter.aggregation === "sum_property" && meter.property === "cost";
}

export type CostGroup = { customerId: number; meterId: number; currency: string; day: string; amount: Dec };

/**
 * Money meters' sums per customer × original currency × local day for [start, end): an event sent in another
 * currency counts at its original amount (pending ones too), others at `cost` in the organization currency.
 * Rollup days and raw spans never share a day, so their groups are distinct.
 */
export async function costByCurrency(meters: MeterDef[], range: Span, org: { currency: string }, customerIds?: number[]): Promise<CostGroup[]> {
  if (meters.length === 0) return [];
  const customers = customerIds ? Prisma.sql`AND customer_id = ANY(${customerIds}::int[])` : Prisma.empty;
  const groups: CostGroup[] = [];
  await snapshot(async (tx, plan) => {
    if (plan.rawSpans.length > 0) {
      const columns = meters.map((m, i) => Prisma.sql`sum(${ORIGINAL_AMOUNT}) FILTER (WHERE ${condition(m)})::text AS ${Prisma.raw(`"m${i}"`)}`);
      const types = meters.every((m) => m.eventType) ? [...new Set(meters.map((m) => m.eventType as string))] : null;
      const rows = await tx.$queryRaw<Record<string, Text>[]>(Prisma.sql`
        SELECT customer_id AS "customerId", coalesce(trim(original_currency), ${org.currency}) AS currency,
          to_char((timestamp AT TIME ZONE ${plan.timeZone})::date, 'YYYY-MM-DD') AS day, ${Prisma.join(columns)}
        FROM usage_events
        WHERE ${inSpans(plan.rawSpans)} AND customer_id IS NOT NULL
          ${types ? Prisma.sql`AND type IN (${Prisma.join(types)})` : Prisma.empty} ${customers}
        GROUP BY 1, 2, 3`);
      for (const row of rows) {
        meters.forEach((m, i) => {
          const amount = row[`m${i}`];
          if (amount !== null && amount !== undefined) groups.push({ customerId: Number(row.customerId), meterId: m.id, currency: String(row.currency), day: String(row.day), amount: new Dec(String(amount)) });
        });
      }
    }
    if (plan.rollupDays.length === 0) return;
    const rows = await tx.$queryRaw<{ customerId: number; meterId: number; currency: string; day: string; amount: string }[]>(Prisma.sql`
      SELECT customer_id AS "customerId", meter_id AS "meterId", CASE WHEN currency = '' THEN ${org.currency} ELSE currency END AS currency,
        to_char(day, 'YYYY-MM-DD') AS day, sum(amount)::text AS amount
      FROM meter_rollup_daily
      WHERE day = ANY(${plan.rollupDays}::date[]) AND meter_id = ANY(${meters.map((m) => m.id)}::int[]) AND amount IS NOT NULL ${customers}
      GROUP BY 1, 2, 3, 4`);
    for (const r of rows) groups.push({ ...r, amount: new Dec(r.amount) });
  }, range);
  return groups.filter((g) => !g.amount.isZero());
}
