// Usage time series: events, quantity and cost per bucket and group, top N + "other", vs the previous period.
// Reads a daily rollup for day/week/month buckets and an hourly one for hours (the core ones when the query allows);
// never raw events.
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { OrgSettings } from "@/lib/org";
import { bucketsOf, dayBucketSql, instantIso, localDayIso } from "./buckets";
import { unpricedTotals } from "@/lib/pricing/unpriced";
import { checkDimensions, filterSql, groupKeySql, groupLabels, hourlyRollup, usageDailyRollup } from "./filters";
import { daysOf, previousRange, resolveRange, type DayRange } from "./period";
import { PROPERTY_PREFIX, usageRangeLimit, type Granularity, type UsageQuery, type UsageResponse } from "./schemas";
import { conversionOf, datesOf, displayFx, rateJoin, type DayRate } from "@/lib/currency/display";
import { minorUnits } from "@/lib/currency/iso4217";

export const OTHER_KEY = "__other__";
/** "Other" lists at most this many of its members (the largest by cost); `other.groups` says how many it sums. */
export const OTHER_MEMBERS = 50;

type Metrics = { events: number; quantity: number; cost: string; orgCost?: string; unconverted?: string };
type Row = { bucket: string; key: string | null; rank: bigint | null; events: bigint; quantity: string; cost: string; orgCost: string; unconverted: string };
/** A bucket's sums per series; or, with `bucket` null, one member of "Other" over the whole range. */
type CurrentRow = Omit<Row, "bucket"> & { bucket: string | null; groups: bigint | null };

/**
 * FROM + WHERE for one range: the rollup that matches the granularity, bounded by local days. `bucket` is the raw
 * bucket of a row `r` (group by it), `text` formats a grouped bucket `b.bucket` the way bucketKeys() lists them.
 * `unit` is a row's finest time (its hour or local day), `unitBucket` and `unitDay` the bucket and local day of a
 * grouped unit `u.unit`: a display currency converts per (unit, key) sums, not per rollup row.
 */
function source(range: DayRange, q: UsageQuery, timeZone: string) {
  const granularity = q.granularity;
  if (granularity === "hour") {
    return {
      bucket: Prisma.sql`r.bucket`,
      unit: Prisma.sql`r.bucket`,
      unitBucket: Prisma.sql`u.unit`,
      unitDay: Prisma.sql`(u.unit AT TIME ZONE ${timeZone})::date`,
      text: Prisma.sql`to_char(b.bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`,
      from: Prisma.sql`${hourlyRollup(q.filters, q.groupBy)} r
        WHERE r.bucket >= (${range.from}::date::timestamp AT TIME ZONE ${timeZone})
        AND r.bucket < ((${range.to}::date + 1)::timestamp AT TIME ZONE ${timeZone})`,
    };
  }
  return {
    bucket: Prisma.raw(dayBucketSql(granularity)),
    unit: Prisma.sql`r.day`,
    unitBucket: Prisma.raw(dayBucketSql(granularity, "u.unit")),
    unitDay: Prisma.sql`u.unit`,
    text: Prisma.sql`to_char(b.bucket, 'YYYY-MM-DD')`,
    from: Prisma.sql`${usageDailyRollup(q.filters, q.groupBy)} r WHERE r.day BETWEEN ${range.from}::date AND ${range.to}::date`,
  };
}

/**
 * The (bucket, key) sums of one range. With a display currency the rollup rows are first summed per (unit, key) and
 * each sum is converted at its local day's rate (exact: amount × the day's 40-digit rate, the same as converting row
 * by row, on far fewer rows); `unconverted` is the org-currency cost of days with no rate.
 */
function baseSql(s: ReturnType<typeof source>, key: Prisma.Sql, where: Prisma.Sql, rates: Map<string, DayRate> | null): Prisma.Sql {
  if (!rates) {
    return Prisma.sql`SELECT ${s.bucket} AS bucket, ${key} AS key, sum(r.events) AS events, sum(r.quantity) AS quantity,
        sum(r.cost) AS cost, sum(r.cost) AS org_cost, 0 AS unconverted
      FROM ${s.from} ${where} GROUP BY 1, 2`;
  }
  return Prisma.sql`SELECT ${s.unitBucket} AS bucket, u.key, sum(u.events) AS events, sum(u.quantity) AS quantity,
      coalesce(sum(u.cost * fx.rate), 0) AS cost, sum(u.cost) AS org_cost, coalesce(sum(u.cost) FILTER (WHERE fx.rate IS NULL), 0) AS unconverted
    FROM (SELECT ${s.unit} AS unit, ${key} AS key, sum(r.events) AS events, sum(r.quantity) AS quantity, sum(r.cost) AS cost
          FROM ${s.from} ${where} GROUP BY 1, 2) u
    ${rateJoin(rates, s.unitDay)}
    GROUP BY 1, 2`;
}

/** Bucket keys (as the SQL returns them) covering the range, for gap filling. */
async function bucketKeys(range: DayRange, granularity: Granularity, timeZone: string): Promise<string[]> {
  if (granularity !== "hour") return bucketsOf(range, granularity);
  // The same date_trunc as the rollup, so a repeated local hour (DST end) maps to the same single bucket.
  const rows = await db.$queryRaw<{ bucket: string }[]>(Prisma.sql`
    SELECT DISTINCT to_char(date_trunc('hour', g, ${timeZone}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "bucket"
    FROM generate_series(${range.from}::date::timestamp AT TIME ZONE ${timeZone},
                         ((${range.to}::date + 1)::timestamp AT TIME ZONE ${timeZone}) - interval '1 hour', interval '1 hour') g
    ORDER BY 1`);
  return rows.map((r) => r.bucket);
}

function bucketIso(bucket: string, granularity: Granularity, timeZone: string): string {
  return granularity === "hour" ? instantIso(new Date(bucket), timeZone) : localDayIso(bucket, timeZone);
}

/**
 * Exact sums as BigInts scaled by 10^SCALE: every amount the queries return has at most 10 decimal places (costs are
 * numeric(28,10), converted ones are rounded to a minor unit, quantities numeric(28,6)). An hourly Usage request adds
 * ~5,000 previous-period rows into three accumulators; with decimal.js the parsing and allocation took ~35 ms of it.
 */
const SCALE = 10;
const ONE = 10n ** BigInt(SCALE);

function scaled(text: string): bigint {
  const dot = text.indexOf(".");
  if (dot < 0) return BigInt(text) * ONE;
  const fraction = text.slice(dot + 1);
  if (fraction.length > SCALE) throw new Error(`usage: ${text} has more than ${SCALE} decimal places`);
  return BigInt(text.slice(0, dot) + fraction.padEnd(SCALE, "0"));
}

/** Plain decimal text of a scaled sum, without trailing zeros (as decimal.js's toFixed() prints it). */
function decimalText(value: bigint): string {
  const digits = (value < 0n ? -value : value).toString().padStart(SCALE + 1, "0");
  const fraction = digits.slice(-SCALE).replace(/0+$/, "");
  return `${value < 0n ? "-" : ""}${digits.slice(0, -SCALE)}${fraction ? `.${fraction}` : ""}`;
}

/** A row's sums parsed once: a previous-period row is added to two or three accumulators. */
type Sums = { events: number; quantity: bigint; cost: bigint; orgCost: bigint; unconverted: bigint };
const sumsOf = (r: { events: bigint | number; quantity: string; cost: string; orgCost: string; unconverted: string }): Sums => ({
  events: Number(r.events), quantity: scaled(r.quantity), cost: scaled(r.cost), orgCost: scaled(r.orgCost), unconverted: scaled(r.unconverted),
});

class Acc {
  events = 0;
  quantity = 0n;
  cost = 0n;
  orgCost = 0n;
  unconverted = 0n;
  constructor(private readonly converting = false) {}
  add(r: Sums | Acc) {
    this.events += r.events;
    this.quantity += r.quantity;
    this.cost += r.cost;
    this.orgCost += r.orgCost;
    this.unconverted += r.unconverted;
  }
  out(): Metrics {
    const base = { events: this.events, quantity: Number(decimalText(this.quantity)), cost: decimalText(this.cost) };
    return this.converting ? { ...base, orgCost: decimalText(this.orgCost), unconverted: decimalText(this.unconverted) } : base;
  }
}

/** A row's metrics as a point: with a display currency, the org-currency figures beside the converted cost. */
function metricsOf(r: Row | CurrentRow, converting: boolean): Metrics {
  const base = { events: Number(r.events), quantity: Number(r.quantity), cost: r.cost };
  return converting ? { ...base, orgCost: r.orgCost, unconverted: r.unconverted } : base;
}

/** Gap-filled points; `starts` are the buckets' ISO starts, computed once for all series (50 × 1,830 otherwise). */
function points(buckets: string[], starts: string[], byBucket: Map<string, Metrics>, empty: Metrics) {
  return buckets.map((b, i) => ({ start: starts[i]!, ...(byBucket.get(b) ?? empty) }));
}

/** The local days of each bucket within the range: the day itself, an hour's local day, a week's or month's days. */
function bucketDays(buckets: string[], starts: string[], granularity: Granularity, days: string[]): string[][] {
  if (granularity === "hour") return starts.map((s) => [s.slice(0, 10)]);
  return buckets.map((b, i) => days.filter((d) => d >= b && (i + 1 === buckets.length || d < buckets[i + 1]!)));
}


export async function usage(caller: Caller, org: OrgSettings, q: UsageQuery): Promise<UsageResponse> {
  const isProperty = q.groupBy.startsWith(PROPERTY_PREFIX);
  await checkDimensions(isProperty ? [q.groupBy.slice(PROPERTY_PREFIX.length)] : [], org, () => "groupBy");
  await checkDimensions(Object.keys(q.filters.properties), org, (n) => `${PROPERTY_PREFIX}${n}`);

  const tz = org.timeZone;
  const range = resolveRange(q, tz, usageRangeLimit(q.granularity));
  const previous = previousRange(range);
  const where = filterSql(caller, q.filters);
  const key = groupKeySql(q.groupBy);
  // A display currency other than the org's: one rate per local day of both ranges (the previous one too, so the
  // comparison is in the same currency), each day by rateFor's rule.
  const days = daysOf(range);
  const fx = await displayFx(org.currency, q.currency, [...daysOf(previous), ...days]);
  const display = fx?.to ?? org.currency;
  const converting = fx !== null;
  const rates = fx?.rates ?? null;
  const cur = source(range, q, tz);
  const prev = source(previous, q, tz);
  // Each row (a bucket × series, or an "Other" member over the range) rounds once to the display currency's minor
  // unit, in SQL (half-even, as roundToMinor); every total is then the sum of those rounded amounts, as shown.
  const shown = (amount: Prisma.Sql) => (converting ? Prisma.sql`trim_scale(round_half_even(${amount}, ${minorUnits(display)}::int))` : Prisma.sql`trim_scale(${amount})`);
  // The previous period is fetched per key in parallel with the current one; keys outside the current top N fold
  // into "other" in code, so this query need not wait for the ranking.
  const [rows, buckets, label, prevRowsByKey, prevBuckets, unpriced] = await Promise.all([
    db.$queryRaw<CurrentRow[]>(Prisma.sql`
      WITH base AS (${baseSql(cur, key, where, rates)}),
      ranked AS (
        SELECT key, row_number() OVER (ORDER BY sum(cost) DESC, key) AS rn, count(*) OVER () AS n,
               sum(events) AS events, sum(quantity) AS quantity, sum(cost) AS cost, sum(org_cost) AS org_cost, sum(unconverted) AS unconverted
        FROM base GROUP BY key)
      SELECT ${cur.text} AS "bucket", CASE WHEN k.rn <= ${q.top} THEN b.key::text END AS "key", min(k.rn) AS "rank", NULL::bigint AS "groups",
             sum(b.events)::bigint AS "events", trim_scale(sum(b.quantity))::text AS "quantity", ${shown(Prisma.sql`sum(b.cost)`)}::text AS "cost",
             trim_scale(sum(b.org_cost))::text AS "orgCost", trim_scale(sum(b.unconverted))::text AS "unconverted"
      FROM base b JOIN ranked k USING (key)
      GROUP BY b.bucket, 2
      UNION ALL
      SELECT NULL, k.key::text, k.rn, k.n - ${q.top}, k.events::bigint, trim_scale(k.quantity)::text, ${shown(Prisma.sql`k.cost`)}::text,
             trim_scale(k.org_cost)::text, trim_scale(k.unconverted)::text
      FROM ranked k WHERE k.rn > ${q.top} AND k.rn <= ${q.top + OTHER_MEMBERS}`),
    bucketKeys(range, q.granularity, tz),
    groupLabels(q.groupBy),
    db.$queryRaw<Row[]>(Prisma.sql`
      WITH base AS (${baseSql(prev, key, where, rates)})
      SELECT ${prev.text} AS "bucket", b.key::text AS "key", NULL AS "rank",
             b.events::bigint AS "events", b.quantity::text AS "quantity", ${shown(Prisma.sql`b.cost`)}::text AS "cost",
             b.org_cost::text AS "orgCost", b.unconverted::text AS "unconverted"
      FROM base b`),
    bucketKeys(previous, q.granularity, tz),
    unpricedTotals(range, where, usageDailyRollup(q.filters, "none")),
  ]);
  const acc = () => new Acc(converting);

  // Series in rank order, "other" last.
  // One row per (bucket, series): its sums are the point as they are.
  const series = new Map<string | null, { rank: number; totals: Acc; byBucket: Map<string, Metrics> }>();
  const totals = acc();
  const members: CurrentRow[] = [];
  for (const r of rows) {
    if (r.bucket === null) {
      members.push(r);
      continue;
    }
    const sums = sumsOf(r);
    totals.add(sums);
    let s = series.get(r.key);
    if (!s) series.set(r.key, (s = { rank: r.key === null ? Infinity : Number(r.rank), totals: acc(), byBucket: new Map() }));
    s.rank = r.key === null ? Infinity : Math.min(s.rank, Number(r.rank));
    s.totals.add(sums);
    s.byBucket.set(r.bucket, metricsOf(r, converting));
  }
  members.sort((a, b) => Number(a.rank) - Number(b.rank));
  const memberKeys = new Set(members.map((m) => m.key));
  const top = new Set([...series.keys()].filter((k): k is string => k !== null));
  // Previous period: per top key ("other" lumps the rest), per "Other" member, per bucket; the total from the buckets.
  const prevByKey = new Map<string | null, Acc>();
  const prevByMember = new Map<string | null, Acc>();
  const prevByBucket = new Map<string, Acc>();
  const into = <K>(map: Map<K, Acc>, key: K, sums: Sums) => {
    let a = map.get(key);
    if (!a) map.set(key, (a = acc()));
    a.add(sums);
  };
  for (const r of prevRowsByKey) {
    const sums = sumsOf(r);
    into(prevByKey, r.key !== null && top.has(r.key) ? r.key : null, sums);
    if (memberKeys.has(r.key)) into(prevByMember, r.key, sums);
    into(prevByBucket, r.bucket, sums);
  }
  const prevTotals = acc();
  for (const b of prevByBucket.values()) prevTotals.add(b);

  const ordered = [...series.entries()].sort((a, b) => a[1].rank - b[1].rank);
  const starts = buckets.map((b) => bucketIso(b, q.granularity, tz));
  const empty = acc().out();
  return {
    currency: display,
    orgCurrency: org.currency,
    conversion: fx && rates && {
      ...conversionOf(fx, days),
      buckets: bucketDays(buckets, starts, q.granularity, days).map((ds, i) => ({ start: starts[i]!, rateDates: datesOf(ds.map((d) => rates.get(d))), missingDays: ds.filter((d) => !rates.has(d)) })),
    },
    timeZone: tz,
    from: range.from,
    to: range.to,
    granularity: q.granularity,
    groupBy: q.groupBy,
    series: ordered.map(([k, s]) => {
      const name = k === null ? { key: OTHER_KEY, label: "Other" } : label(k);
      return { ...name, totals: s.totals.out(), previous: (prevByKey.get(k) ?? acc()).out(), points: points(buckets, starts, s.byBucket, empty) };
    }),
    totals: totals.out(),
    other: members.length
      ? {
          groups: Number(members[0]!.groups),
          members: members.map((m) => ({ ...label(m.key!), totals: metricsOf(m, converting), previous: (prevByMember.get(m.key) ?? acc()).out() })),
        }
      : null,
    unpriced,
    previous: {
      from: previous.from,
      to: previous.to,
      totals: prevTotals.out(),
      points: points(prevBuckets, prevBuckets.map((b) => bucketIso(b, q.granularity, tz)), new Map([...prevByBucket].map(([b, a]) => [b, a.out()])), empty),
    },
  };
}
