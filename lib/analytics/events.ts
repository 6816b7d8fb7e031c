// The events explorer: the raw events behind any total (same filters and department scope as the dashboards),
// newest first, keyset-paginated, with the totals of everything that matches. Totals come from the daily rollup,
// which always equals the raw events, so a page stays fast however many events match; the rollups also say which
// days and hours hold the page's events, so it stays fast however few match.
import "server-only";
import Decimal from "decimal.js";
import { BadRequestError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { dayIn, lengthOf as rangeLength } from "@/lib/periods";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgSettings } from "@/lib/org";
import { rawEventsFrom, RetentionBoundaryError } from "@/lib/retention/boundary";
import { checkDimensions, dailyRollup, filterSql, hourlyRollup } from "./filters";
import { resolveRange, type DayRange } from "./period";
import { NONE, PROPERTY_PREFIX, UNASSIGNED, type EventsQuery, type Filters } from "./schemas";
import { scopeSql } from "./scope";

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

/** The dashboards' filters over raw events `e` (NULL columns stand for the rollups' 0 / '' "none" values). */
export function rawFilterSql(caller: Caller, f: Filters, handledBy?: "agent" | "human"): Prisma.Sql {
  const none = (values: string[]) => values.map((v) => (v === NONE ? "" : v));
  const parts: Prisma.Sql[] = [scopeSql(caller, "coalesce(e.department_id, 0)")];
  if (f.agent) parts.push(Prisma.sql` AND e.agent_id IN (SELECT id FROM agents WHERE key = ANY(${f.agent}::text[]))`);
  if (f.department) {
    parts.push(Prisma.sql` AND coalesce(e.department_id, 0) IN (SELECT id FROM departments WHERE code = ANY(${f.department}::text[])
      UNION ALL SELECT 0 WHERE ${UNASSIGNED} = ANY(${f.department}::text[]))`);
  }
  if (f.customer) {
    parts.push(Prisma.sql` AND coalesce(e.customer_id, 0) IN (SELECT id FROM customers WHERE key = ANY(${f.customer}::text[])
      UNION ALL SELECT 0 WHERE ${NONE} = ANY(${f.customer}::text[]))`);
  }
  if (f.model) parts.push(Prisma.sql` AND coalesce(e.model, '') = ANY(${none(f.model)}::text[])`);
  if (f.type) parts.push(Prisma.sql` AND e.type = ANY(${f.type}::text[])`);
  if (f.taskType) parts.push(Prisma.sql` AND coalesce(e.task_type, '') = ANY(${none(f.taskType)}::text[])`);
  if (f.provider) parts.push(Prisma.sql` AND coalesce(e.properties ->> 'provider', '') = ANY(${none(f.provider)}::text[])`);
  if (handledBy) parts.push(Prisma.sql` AND e.handled_by = ${handledBy}`);
  for (const [name, values] of Object.entries(f.properties)) {
    parts.push(Prisma.sql` AND coalesce(e.properties ->> ${name}, '') = ANY(${none(values)}::text[])`);
  }
  return Prisma.join(parts, "");
}

type EventRow = {
  id: bigint;
  timestamp: Date;
  agent: string;
  agentName: string;
  type: string;
  department: string | null;
  customer: string | null;
  model: string | null;
  provider: string | null;
  quantity: string;
  cost: string;
  costSource: "reported" | "computed" | "unpriced" | "none";
  originalCost: string | null;
  originalCurrency: string | null;
  fxRate: string | null;
  fxRateDate: string | null;
  fxPending: boolean;
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

/** One page of raw events in the range (and `within`) matching `where` (over `e`), newest first; `cursor` continues after the previous page. */
export async function eventPage(org: OrgSettings, range: DayRange, where: Prisma.Sql, page: { limit: number; cursor?: string }, within?: { from: Date; to: Date }) {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await db.$queryRaw<EventRow[]>(Prisma.sql`
    SELECT e.id AS "id", e.timestamp AS "timestamp", a.key AS "agent", a.name AS "agentName", e.type AS "type", d.code AS "department",
           c.key AS "customer", e.model AS "model", e.properties ->> 'provider' AS "provider", e.quantity::text AS "quantity", e.cost::text AS "cost",
           CASE WHEN e.reported_cost IS NOT NULL THEN 'reported' WHEN e.computed_cost IS NOT NULL THEN 'computed'
                WHEN e.unpriced THEN 'unpriced' ELSE 'none' END AS "costSource",
           trim_scale(e.original_cost)::text AS "originalCost", trim(e.original_currency) AS "originalCurrency",
           trim_scale(e.fx_rate)::text AS "fxRate", to_char(e.fx_rate_date, 'YYYY-MM-DD') AS "fxRateDate", e.fx_pending AS "fxPending",
           e.computed_price_id AS "priceId", e.price_rule AS "priceRule", e.service_tier AS "serviceTier",
           e.input_tokens AS "inputTokens", e.output_tokens AS "outputTokens",
           e.task_type AS "taskType", e.handled_by AS "handledBy", e.task_status AS "taskStatus",
           e.duration_seconds::text AS "durationSeconds", e.properties AS "properties",
           e.source AS "source", e.event_key AS "key", e.correction_kind AS "correctionKind", e.corrects_event_id::text AS "correctsEventId",
           CASE WHEN ec.id IS NULL THEN NULL ELSE jsonb_build_object('kind', ec.kind, 'reason', ec.reason,
             'reversalEventId', ec.reversal_event_id::text, 'correctedEventId', ec.corrected_event_id::text) END AS "correctedBy"
    FROM usage_events e
    JOIN agents a ON a.id = e.agent_id
    LEFT JOIN departments d ON d.id = e.department_id
    LEFT JOIN customers c ON c.id = e.customer_id
    LEFT JOIN event_corrections ec ON ec.source = e.source AND ec.original_key = e.event_key
    WHERE e.timestamp >= (${range.from}::date::timestamp AT TIME ZONE ${org.timeZone})
      AND e.timestamp < ((${range.to}::date + 1)::timestamp AT TIME ZONE ${org.timeZone})
      ${within ? Prisma.sql`AND e.timestamp >= ${within.from}::timestamptz AND e.timestamp < ${within.to}::timestamptz` : Prisma.empty}
      ${after ? Prisma.sql`AND (e.timestamp, e.id) < (${after.at}::timestamptz, ${after.id}::bigint)` : Prisma.empty}
      ${where}
    ORDER BY e.timestamp DESC, e.id DESC
    LIMIT ${page.limit + 1}`);
  const shown = rows.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    events: shown.map((e) => ({ ...e, id: e.id.toString(), timestamp: e.timestamp.toISOString(), inputTokens: Number(e.inputTokens), outputTokens: Number(e.outputTokens) })),
    nextCursor: rows.length > page.limit && last ? encodeCursor(last.timestamp, last.id) : null,
  };
}

type DayTotals = { day: string | null; events: bigint; quantity: string; cost: string };

/**
 * Of `spans` (days or hours, newest first, none after the cursor), the newest ones the page must read: back to the
 * one by which more than `limit` matches are seen. A span that may hold the cursor (`partial`) counts for nothing,
 * some of its matches were on earlier pages. Null when nothing is left to list.
 */
function newestSpans<T>(spans: { at: T; events: number; partial: boolean }[], limit: number): { from: T; to: T } | null {
  const matching = spans.filter((s) => s.events > 0);
  if (!matching.length) return null;
  let seen = 0;
  for (const s of matching) {
    if (!s.partial) seen += s.events;
    if (seen > limit) return { from: s.at, to: matching[0]!.at };
  }
  return { from: matching[matching.length - 1]!.at, to: matching[0]!.at };
}

const HOUR = 3_600_000;

/**
 * The stretch of time the page reads, from the rollups: the days with the newest matches, then, when that is a day
 * or two, the hours within them. Without it, a filter matching few or no events walks the timestamp index through
 * the whole range, and a day's raw events are still too many (PostgreSQL would read the month's partition).
 */
async function pageWindow(caller: Caller, org: OrgSettings, q: EventsQuery, days: DayTotals[], after: Date | null) {
  const cursorDay = after ? dayIn(org.timeZone, after) : undefined;
  const dayWindow = newestSpans(
    days
      .flatMap((d) => (d.day === null || (cursorDay && d.day > cursorDay) ? [] : [{ at: d.day, events: Number(d.events), partial: d.day === cursorDay }]))
      .sort((a, b) => (a.at < b.at ? 1 : -1)),
    q.limit,
  );
  if (!dayWindow || rangeLength(dayWindow) > 2) return dayWindow && { days: dayWindow };
  const hours = await db.$queryRaw<{ bucket: Date; events: bigint }[]>(Prisma.sql`
    SELECT r.bucket AS "bucket", sum(r.events)::bigint AS "events" FROM ${hourlyRollup(q.filters)} r
    WHERE r.bucket >= (${dayWindow.from}::date::timestamp AT TIME ZONE ${org.timeZone})
      AND r.bucket < ((${dayWindow.to}::date + 1)::timestamp AT TIME ZONE ${org.timeZone})
      ${filterSql(caller, q.filters)} ${q.handledBy ? Prisma.sql` AND r.handled_by = ${q.handledBy}` : Prisma.empty}
    GROUP BY r.bucket ORDER BY r.bucket DESC`);
  // An hour bucket is the local hour's start, so it holds events up to 2 hours later (a repeated hour at DST end).
  const hourWindow = newestSpans(
    hours.flatMap((h) => (after && h.bucket > after ? [] : [{ at: h.bucket.getTime(), events: Number(h.events), partial: !!after && h.bucket.getTime() > after.getTime() - 2 * HOUR }])),
    q.limit,
  );
  return hourWindow && { days: dayWindow, instants: { from: new Date(hourWindow.from), to: new Date(hourWindow.to + 2 * HOUR) } };
}

/** GET /api/v1/events: a page of the matching events and the totals of all of them. */
export async function exploreEvents(caller: Caller, org: OrgSettings, q: EventsQuery) {
  await checkDimensions(Object.keys(q.filters.properties), org, (n) => `${PROPERTY_PREFIX}${n}`);
  const range = resolveRange(q, org.timeZone);
  // Raw events removed by retention: a range wholly before them is refused; one across the boundary lists what remains.
  const rawFrom = await rawEventsFrom();
  if (rawFrom && range.to < dayIn(org.timeZone, rawFrom)) throw new RetentionBoundaryError("The events drill-down", rawFrom);
  const after = q.cursor ? decodeCursor(q.cursor).at : null;
  const handled = q.handledBy ? Prisma.sql` AND r.handled_by = ${q.handledBy}` : Prisma.empty;
  // Matches per local day from the daily rollup (equal to the raw events); the row without a day is their total.
  const days = await db.$queryRaw<DayTotals[]>(Prisma.sql`
    SELECT to_char(r.day, 'YYYY-MM-DD') AS "day", coalesce(sum(r.events), 0)::bigint AS "events",
           coalesce(sum(r.quantity), 0)::text AS "quantity", coalesce(sum(r.cost), 0)::text AS "cost"
    FROM ${dailyRollup(q.filters)} r
    WHERE r.day BETWEEN ${range.from}::date AND ${range.to}::date ${filterSql(caller, q.filters)} ${handled}
    GROUP BY GROUPING SETS ((r.day), ())`);
  const totals = days.find((d) => d.day === null);
  const window = await pageWindow(caller, org, q, days, after);
  const page = window ? await eventPage(org, window.days, rawFilterSql(caller, q.filters, q.handledBy), q, window.instants) : { events: [], nextCursor: null };
  return {
    currency: org.currency,
    timeZone: org.timeZone,
    from: range.from,
    to: range.to,
    totals: { events: Number(totals?.events ?? 0), quantity: Number(totals?.quantity ?? 0), cost: new Decimal(totals?.cost ?? 0).toFixed() },
    ...page,
    rawEventsFrom: rawFrom?.toISOString() ?? null,
  };
}
