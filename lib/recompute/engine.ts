// The recompute engine: changes computed columns of stored events in batches, each batch one transaction that
// updates the events and appends exactly their difference to the rollup tail, so the rollups (folded + tail)
// equal the raw events at every commit. Changed events in a finalized invoice period are marked `late`: the
// finalized invoice stays frozen and the next draft carries the difference (lib/billing/late.ts).
//
// Locks, in this order, per batch: the run row, the batch's events (keyset order (timestamp, id)), then budget rows
// in key order, the order the ingest statement uses (lib/ingest/writer.ts). Ingestion never locks stored events: at
// most a re-sent duplicate of an event this batch is updating waits for the batch to commit, in the insert phase of
// its statement, before it locks any budget row. So the two cannot wait on each other in a cycle; deadlocks and
// serialization failures are retried anyway.
import "server-only";
import { BUDGET_CHANNEL, BUDGET_SPEND_CHANGE } from "@/lib/budgets/spend-sql";
import Decimal from "decimal.js";
import type { PoolClient } from "pg";
import { inTransaction } from "@/lib/db";
import { ROLLUP_KEY_COLUMNS, ROLLUP_METRIC_AGGREGATES, ROLLUP_METRIC_COLUMNS, ROLLUP_METRIC_NAMES, TAIL_DAY, rollupKeyExpressions } from "@/lib/rollups/sql";
import { KINDS, type KindName, type StoredEvent } from "./kinds";

export type Predicate = { models?: string[]; agents?: string[]; departments?: string[]; sources?: string[] };

export type Selection = { kind: KindName; from: Date; to: Date; predicate: Predicate };

/** Money delta of a run (organization currency, exact decimal text). */
export type Delta = { total: string; byDepartment: Record<string, string>; byCustomer: Record<string, string> };

export type Progress = { scanned: number; changed: number; finalized: number; delta: Delta };

export const NONE = "(none)";

export function emptyProgress(): Progress {
  return { scanned: 0, changed: 0, finalized: 0, delta: { total: "0", byDepartment: {}, byCustomer: {} } };
}

type Cursor = { ts: Date; id: string } | null;

/** Events of the selection after `cursor`, in (timestamp, id) order; `lock` takes their row locks. */
async function scan(client: PoolClient, sel: Selection, cursor: Cursor, limit: number, lock: boolean): Promise<StoredEvent[]> {
  const p = sel.predicate;
  const list = (values?: string[]) => (values && values.length ? values : null);
  const { rows } = await client.query<StoredEvent>(
    `SELECT e.id::text AS id, e.timestamp, e.event_sign AS sign, e.model,
       e.input_tokens::text AS "inputTokens", e.output_tokens::text AS "outputTokens",
       e.cache_read_tokens::text AS "cacheReadTokens", e.cache_creation_tokens::text AS "cacheCreationTokens",
       e.reasoning_tokens::text AS "reasoningTokens", e.reported_cost::text AS "reportedCost",
       e.computed_cost::text AS "computedCost", e.computed_price_id AS "computedPriceId", e.cost::text AS cost,
       e.price_rule AS "priceRule", e.unpriced, e.service_tier AS "serviceTier", e.properties,
       e.original_cost::text AS "originalCost", trim(e.original_currency) AS "originalCurrency", e.fx_rate::text AS "fxRate",
       to_char(e.fx_rate_date, 'YYYY-MM-DD') AS "fxRateDate", e.fx_pending AS "fxPending",
       d.code AS department, c.key AS customer
     FROM usage_events e
     LEFT JOIN departments d ON d.id = e.department_id
     LEFT JOIN customers c ON c.id = e.customer_id
     WHERE e.timestamp >= $1 AND e.timestamp < $2
       AND ($3::timestamptz IS NULL OR (e.timestamp, e.id) > ($3::timestamptz, $4::bigint))
       AND ($5::text[] IS NULL OR e.model = ANY($5::text[]))
       AND ($6::text[] IS NULL OR e.agent_id IN (SELECT id FROM agents WHERE key = ANY($6::text[])))
       AND ($7::text[] IS NULL OR e.department_id IN (SELECT id FROM departments WHERE code = ANY($7::text[])))
       AND ($8::text[] IS NULL OR e.source = ANY($8::text[]))
       ${KINDS[sel.kind].where ? `AND ${KINDS[sel.kind].where}` : ""}
     ORDER BY e.timestamp, e.id
     LIMIT $9
     ${lock ? "FOR UPDATE OF e" : ""}`,
    [sel.from, sel.to, cursor?.ts ?? null, cursor?.id ?? null, list(p.models), list(p.agents), list(p.departments), list(p.sources), limit],
  );
  return rows;
}

type Change = { event: StoredEvent; values: unknown[]; diff: Decimal };

async function changesOf(client: PoolClient, sel: Selection, events: StoredEvent[], currency: string): Promise<Change[]> {
  if (events.length === 0) return [];
  const compute = await KINDS[sel.kind].prepare(client, events, currency);
  const changes: Change[] = [];
  for (const event of events) {
    const change = compute(event);
    if (change) changes.push({ event, values: change.values, diff: new Decimal(change.cost).minus(event.cost) });
  }
  return changes;
}

function addTo(progress: Progress, scanned: number, changes: Change[], finalized: number): Progress {
  const add = (map: Record<string, string>, key: string | null, amount: Decimal) => {
    const k = key ?? NONE;
    map[k] = new Decimal(map[k] ?? 0).plus(amount).toFixed();
  };
  const delta = { total: progress.delta.total, byDepartment: { ...progress.delta.byDepartment }, byCustomer: { ...progress.delta.byCustomer } };
  let total = new Decimal(delta.total);
  for (const c of changes) {
    if (c.diff.isZero()) continue;
    total = total.plus(c.diff);
    add(delta.byDepartment, c.event.department, c.diff);
    add(delta.byCustomer, c.event.customer, c.diff);
  }
  delta.total = total.toFixed();
  return { scanned: progress.scanned + scanned, changed: progress.changed + changes.length, finalized: progress.finalized + finalized, delta };
}

async function currencyOf(client: PoolClient): Promise<string> {
  const { rows } = await client.query<{ currency: string }>("SELECT trim(currency) AS currency FROM organizations WHERE id = 1");
  return rows[0]?.currency ?? "USD";
}

async function finalizedPeriods(client: PoolClient): Promise<{ start: number; end: number }[]> {
  const { rows } = await client.query<{ s: Date; e: Date }>("SELECT DISTINCT period_start AS s, period_end AS e FROM invoices WHERE status = 'finalized'");
  return rows.map((r) => ({ start: r.s.getTime(), end: r.e.getTime() }));
}

/** The run's effect, computed without changing anything (read-only snapshot, batch by batch). */
export async function previewSelection(sel: Selection, batchSize = 5000): Promise<Progress> {
  return inTransaction(async (client) => {
    const [currency, periods] = await Promise.all([currencyOf(client), finalizedPeriods(client)]);
    let progress = emptyProgress();
    let cursor: Cursor = null;
    for (;;) {
      const events = await scan(client, sel, cursor, batchSize, false);
      const changes = await changesOf(client, sel, events, currency);
      const finalized = changes.filter((c) => periods.some((p) => c.event.timestamp.getTime() >= p.start && c.event.timestamp.getTime() < p.end)).length;
      progress = addTo(progress, events.length, changes, finalized);
      const last = events[events.length - 1];
      if (!last || events.length < batchSize) break;
      cursor = { ts: last.timestamp, id: last.id };
    }
    return progress;
  }, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

// The old rows are read in the statement's snapshot before the UPDATE changes them (all CTEs share one snapshot;
// the batch's rows are already locked, so that snapshot holds their latest version). The rollup delta is new − old
// per hour and full rollup key, column by column (re-costing changes no key), appended to the rollup tail like an
// ingest batch's aggregates (lib/rollups/fold.ts).
function applyStatement(sel: Selection): string {
  const writes = KINDS[sel.kind].writes;
  const k = rollupKeyExpressions("o.time_zone", "o.dimensions");
  const key = `bucket, ${ROLLUP_KEY_COLUMNS}`;
  const agg = (from: string) =>
    `SELECT ${k.hour}, ${k.rest}, ${ROLLUP_METRIC_AGGREGATES} FROM ${from} e CROSS JOIN org o GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`;
  return `
    WITH org AS (SELECT time_zone, dimensions FROM organizations WHERE id = 1),
    finalized AS MATERIALIZED (SELECT DISTINCT period_start, period_end FROM invoices WHERE status = 'finalized'),
    n AS (SELECT * FROM unnest($1::bigint[], $2::timestamptz[], ${writes.map((w, i) => `$${i + 3}::${w.type}[]`).join(", ")})
          AS n(id, ts, ${writes.map((w) => w.column).join(", ")})),
    old AS MATERIALIZED (SELECT e.* FROM usage_events e JOIN n ON e.id = n.id AND e.timestamp = n.ts),
    upd AS (
      UPDATE usage_events e SET ${writes.map((w) => `${w.column} = n.${w.column}`).join(", ")},
        late = e.late OR EXISTS (SELECT 1 FROM finalized f WHERE e.timestamp >= f.period_start AND e.timestamp < f.period_end)
      FROM n WHERE e.id = n.id AND e.timestamp = n.ts
      RETURNING e.*, EXISTS (SELECT 1 FROM finalized f WHERE e.timestamp >= f.period_start AND e.timestamp < f.period_end) AS in_finalized
    ),
    tail_new (${key}, ${ROLLUP_METRIC_COLUMNS}) AS (${agg("upd")}),
    tail_old (${key}, ${ROLLUP_METRIC_COLUMNS}) AS (${agg("old")}),
    tail AS (
      INSERT INTO usage_rollup_tail (${key}, ${ROLLUP_METRIC_COLUMNS}, day)
      SELECT ${key}, ${ROLLUP_METRIC_NAMES.map((m) => `n.${m} - p.${m}`).join(", ")}, ${TAIL_DAY("bucket")}
      FROM tail_new n JOIN tail_old p USING (${key})),
    budget AS (${BUDGET_SPEND_CHANGE})
    SELECT count(*)::int AS updated, (count(*) FILTER (WHERE in_finalized))::int AS finalized,
      (SELECT pg_notify('${BUDGET_CHANNEL}', 'spend')) AS notified FROM upd`;
}

/** Applies one batch's changes to the events and rollups inside the caller's transaction. */
async function applyChanges(client: PoolClient, sel: Selection, changes: Change[]): Promise<{ updated: number; finalized: number }> {
  if (changes.length === 0) return { updated: 0, finalized: 0 };
  const columns = KINDS[sel.kind].writes.map((_, i) => changes.map((c) => c.values[i]));
  const { rows } = await client.query<{ updated: number; finalized: number }>(applyStatement(sel), [
    changes.map((c) => c.event.id),
    changes.map((c) => c.event.timestamp),
    ...columns,
  ]);
  return rows[0]!;
}

export type BatchResult = { events: StoredEvent[]; changes: Change[]; finalized: number; cursor: Cursor };

/** One batch inside the caller's transaction: lock the next events, compute, write events and rollups. */
export async function recomputeBatch(client: PoolClient, sel: Selection, cursor: Cursor, limit: number): Promise<BatchResult> {
  const events = await scan(client, sel, cursor, limit, true);
  const changes = await changesOf(client, sel, events, await currencyOf(client));
  const applied = await applyChanges(client, sel, changes);
  if (applied.updated !== changes.length) throw new Error(`recompute: updated ${applied.updated} of ${changes.length} events`);
  const last = events[events.length - 1];
  return { events, changes, finalized: applied.finalized, cursor: last ? { ts: last.timestamp, id: last.id } : cursor };
}

export function progressAfter(progress: Progress, batch: BatchResult): Progress {
  return addTo(progress, batch.events.length, batch.changes, batch.finalized);
}

/** Deadlock or serialization failure: the transaction rolled back and can be retried as is. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "40P01" || code === "40001";
}
