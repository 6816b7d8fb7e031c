// OTLP token metrics counted once (docs/formats.md, "OTLP metrics"). A DELTA point is usage as it is; a CUMULATIVE
// point is a running total since its start time, so it counts the difference from the last point of its series,
// whose state lives in otlp_metric_series. Series are locked, read, advanced and the events written in one
// transaction: a retry, a second instance or a restart never counts a total twice. Each counted interval is an
// event whose id derives from (series, start, time), so a re-sent DELTA point is an ingestion duplicate.
import "server-only";
import { createHash } from "node:crypto";
import { inTransaction } from "@/lib/db";
import type { KeyPolicy } from "@/lib/ingest/policy";
import type { IngestResponse } from "@/lib/ingest/schemas";
import { ingestMapped } from "./ingest";
import { cumulativeDelta, type MetricsParse, type SeriesState, type TokenPoint } from "./otlp-metrics";

const eventId = (p: TokenPoint) => `otlp-metric-${createHash("sha256").update(`${p.series}/${p.startNanos}/${p.timeNanos}`).digest("hex").slice(0, 48)}`;

/**
 * Counts a request's token points under `source` within `policy`. With `count` false (the key takes usage from
 * traces) cumulative state still advances, so switching the key to metrics later does not count the totals that
 * traces already counted.
 */
export async function ingestMetrics(source: string, parsed: MetricsParse, policy: KeyPolicy, count: boolean): Promise<IngestResponse> {
  return inTransaction(async (client) => {
    const seriesKeys = [...new Set(parsed.points.filter((p) => p.cumulative).map((p) => p.series))].sort();
    const states = new Map<string, SeriesState>();
    if (seriesKeys.length) {
      // In key order, so two requests over the same series queue instead of deadlocking.
      await client.query(
        "SELECT pg_advisory_xact_lock(hashtext('otlp_metric'), hashtext($1 || '/' || k)) FROM (SELECT k FROM unnest($2::text[]) AS k ORDER BY k OFFSET 0) AS ordered",
        [source, seriesKeys],
      );
      const { rows } = await client.query<{ series_key: string; start_nanos: string; time_nanos: string; total: string; count: string }>(
        "SELECT series_key, start_nanos, time_nanos, total, count FROM otlp_metric_series WHERE source = $1 AND series_key = ANY($2::text[])",
        [source, seriesKeys],
      );
      for (const r of rows) states.set(r.series_key, { start: BigInt(r.start_nanos), time: BigInt(r.time_nanos), total: BigInt(r.total), count: BigInt(r.count) });
    }
    const changed = new Set<string>();
    const events: Record<string, unknown>[] = [];
    const origin: number[] = [];
    // Within a series, oldest first: several points of one series in a request each count their own interval.
    const ordered = [...parsed.points].sort((a, b) => (a.series !== b.series ? (a.series < b.series ? -1 : 1) : a.timeNanos < b.timeNanos ? -1 : a.timeNanos > b.timeNanos ? 1 : 0));
    for (const p of ordered) {
      let sum = BigInt(p.sum);
      let operations = BigInt(p.count);
      if (p.cumulative) {
        const before = states.get(p.series);
        const delta = cumulativeDelta(before, p);
        if (delta.state !== before) {
          states.set(p.series, delta.state);
          changed.add(p.series);
        }
        sum = delta.sum;
        operations = delta.count;
      }
      if (!count || p.tokenClass === null || (sum === 0n && operations === 0n)) continue;
      events.push({
        ...p.event,
        id: eventId(p),
        tokens: { [p.tokenClass]: Number(sum) },
        // Operations once per call, as a trace-derived event has quantity 1: on the input series only.
        quantity: p.tokenClass === "input" ? Number(operations) : 0,
      });
      origin.push(p.index);
    }
    const stored = await ingestMapped(source, { events, origin, rejected: parsed.rejected }, policy, client);
    if (changed.size) {
      const keys = [...changed].sort();
      await client.query(
        `INSERT INTO otlp_metric_series (source, series_key, start_nanos, time_nanos, total, count)
         SELECT $1, * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
         ON CONFLICT (source, series_key) DO UPDATE SET start_nanos = excluded.start_nanos, time_nanos = excluded.time_nanos,
           total = excluded.total, count = excluded.count, updated_at = now()`,
        [source, keys, ...(["start", "time", "total", "count"] as const).map((f) => keys.map((k) => states.get(k)![f].toString()))],
      );
    }
    return stored;
  });
}
