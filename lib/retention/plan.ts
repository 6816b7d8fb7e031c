// What a retention run would remove now: the whole UTC-month partitions of usage_events that end before the cutoff
// (the start of the local month `months` months before the current one, in the organization's time zone), except
// months a draft invoice's period touches. Read-only: the dry run shows it, the run acts on it.
import type pg from "pg";

export type RetentionSettings = { months: number | null; mode: "drop" | "archive" };

export type PlannedMonth = {
  /** YYYY-MM, UTC (the partition usage_events_YYYYMM). */
  month: string;
  partition: string;
  from: Date;
  to: Date;
  /** Exact below a million rows; above, PostgreSQL's estimate (pg_class.reltuples), so the dry run stays quick at any size. */
  rows: number;
  rowsExact: boolean;
  /** Disk the partition and its indexes take (what dropping it frees). */
  bytes: number;
  /** "due": the next run removes it; "held": a draft invoice's period touches it, kept until that invoice is finalized or deleted. */
  status: "due" | "held";
  heldBy: number[];
};

export type RetentionPlan = { settings: RetentionSettings; cutoff: Date | null; months: PlannedMonth[] };

type Queryable = Pick<pg.ClientBase, "query">;

export async function retentionSettings(client: Queryable): Promise<RetentionSettings & { timeZone: string }> {
  const { rows } = await client.query<{ months: number | null; mode: "drop" | "archive"; time_zone: string }>(
    "SELECT raw_event_retention_months AS months, raw_event_retention_mode AS mode, time_zone FROM organizations WHERE id = 1",
  );
  const org = rows[0];
  return org ? { months: org.months, mode: org.mode, timeZone: org.time_zone } : { months: null, mode: "archive", timeZone: "UTC" };
}

/** The months past the cutoff with their rows and sizes; `now` for tests and the benchmark. */
export async function retentionPlan(client: Queryable, now: Date = new Date()): Promise<RetentionPlan> {
  const org = await retentionSettings(client);
  const settings = { months: org.months, mode: org.mode };
  if (org.months === null) return { settings, cutoff: null, months: [] };
  const { rows: cut } = await client.query<{ cutoff: Date }>(
    `SELECT (date_trunc('month', $1::timestamptz AT TIME ZONE $2) - make_interval(months => $3)) AT TIME ZONE $2 AS cutoff`,
    [now, org.timeZone, org.months],
  );
  const cutoff = cut[0]!.cutoff;
  // Partitions and their bounds from the catalog (only the monthly ones: the default partition has no bound).
  const { rows: parts } = await client.query<{ partition: string; from: Date; to: Date; bytes: string; estimate: string | null; held_by: number[] }>(
    `WITH parts AS (
       SELECT c.relname AS partition,
              (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)'))  AS b,
              pg_total_relation_size(c.oid) AS bytes, c.reltuples
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'usage_events'::regclass AND c.relname ~ '^usage_events_[0-9]{6}$')
     SELECT partition, b[1]::timestamptz AS "from", b[2]::timestamptz AS "to", bytes::text,
            CASE WHEN reltuples >= 1000000 THEN reltuples::bigint::text END AS estimate,
            ARRAY(SELECT id FROM invoices WHERE status = 'draft' AND period_start < b[2]::timestamptz AND period_end > b[1]::timestamptz ORDER BY id) AS held_by
     FROM parts WHERE b[2]::timestamptz <= $1 ORDER BY 2`,
    [cutoff],
  );
  const months: PlannedMonth[] = [];
  for (const p of parts) {
    // Through the parent (pruned to the one partition): the app role reads partitions only through it.
    const rows = p.estimate ?? (await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM usage_events WHERE "timestamp" >= $1 AND "timestamp" < $2`, [p.from, p.to])).rows[0]!.n;
    months.push({
      month: p.partition.replace(/^usage_events_(\d{4})(\d{2})$/, "$1-$2"),
      partition: p.partition,
      from: p.from,
      to: p.to,
      rows: Number(rows),
      rowsExact: p.estimate === null,
      bytes: Number(p.bytes),
      status: p.held_by.length ? "held" : "due",
      heldBy: p.held_by,
    });
  }
  // Old rows still parked in the default partition (a historic import before the daily partitions.ensure): the run
  // gives them their month's partition first. Their bytes are the rows' own size, an estimate.
  const { rows: parked } = await client.query<{ from: Date; to: Date; rows: string; bytes: string; held_by: number[] }>(
    `WITH d AS (
       SELECT date_trunc('month', "timestamp", 'UTC') AS lo, count(*) AS n, sum(pg_column_size(e.*)) AS bytes
       FROM usage_events_default e WHERE "timestamp" < $1 GROUP BY 1),
     m AS (SELECT lo, ((lo AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC' AS hi, n, bytes FROM d)
     SELECT lo AS "from", hi AS "to", n::text AS rows, bytes::text,
            ARRAY(SELECT id FROM invoices WHERE status = 'draft' AND period_start < hi AND period_end > lo ORDER BY id) AS held_by
     FROM m WHERE hi <= $1`,
    [cutoff],
  );
  for (const p of parked) {
    const month = p.from.toISOString().slice(0, 7);
    months.push({
      month,
      partition: `usage_events_${month.replace("-", "")}`,
      from: p.from,
      to: p.to,
      rows: Number(p.rows),
      rowsExact: true,
      bytes: Number(p.bytes),
      status: p.held_by.length ? "held" : "due",
      heldBy: p.held_by,
    });
  }
  months.sort((a, b) => a.from.getTime() - b.from.getTime());
  return { settings, cutoff, months };
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
