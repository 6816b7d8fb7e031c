// The set-based write path: one statement inserts a batch and appends only the rows it inserted to the rollup tail.
import "server-only";
import type { Pool, PoolClient } from "pg";

/** A pool, or one client inside a transaction (corrections write events and their link in one). */
type Queryable = Pool | PoolClient;
import { TAIL_APPEND } from "@/lib/rollups/sql";
import { BUDGET_CHANNEL, BUDGET_SPEND_UPSERT, type SpendRow } from "@/lib/budgets/spend-sql";
import type { PolicyLookups } from "./policy";
import type { EventRow } from "./validate";

// Rows arrive sorted by event key and are inserted in that order (ORDER BY ord); budget rows are upserted in key
// order. Every batch therefore locks in the same global order, so concurrent batches cannot deadlock. The rollups
// get the batch's aggregates appended to their tail (lib/rollups/fold.ts): no upsert, no row another batch locks.
// Time zone and promoted dimensions are read inside the statement (not cached), so a batch always buckets with
// the settings its snapshot sees; a settings change commits before its full rollup rebuild, which locks
// usage_events and so waits for in-flight batches and holds back new ones.
// Idempotency lives in usage_event_keys (usage_events is partitioned by month and cannot hold a unique
// (source, event_key)): a key row is claimed first, and only the rows whose key was new are inserted as events,
// with the id the key row drew. A key re-sent with another timestamp, months later, is still a duplicate.
const INSERT_EVENTS = `
WITH org AS (SELECT time_zone, dimensions FROM organizations WHERE id = 1),
finalized AS MATERIALIZED (SELECT DISTINCT period_start, period_end FROM invoices WHERE status = 'finalized'),
input AS (
  SELECT * FROM unnest(
    $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::int[], $7::text[], $8::numeric[], $9::numeric[],
    $10::numeric[], $11::int[], $12::numeric[], $13::text[], $14::bigint[], $15::bigint[], $16::bigint[],
    $17::bigint[], $18::bigint[], $19::text[], $20::text[], $21::text[], $22::numeric[], $23::jsonb[],
    $24::bigint[], $25::text[], $26::text[], $27::bool[], $28::text[], $29::numeric[], $30::text[], $31::numeric[],
    $32::date[], $33::bool[]
  ) WITH ORDINALITY AS t(event_key, ts, type, agent_key, department_id, customer_key, quantity, reported_cost,
    computed_cost, computed_price_id, cost, model, input_tokens, output_tokens, cache_read_tokens,
    cache_creation_tokens, reasoning_tokens, task_type, handled_by, task_status, duration_seconds, properties,
    corrects_event_id, correction_kind, price_rule, unpriced, service_tier, original_cost, original_currency, fx_rate,
    fx_rate_date, fx_pending, ord)
),
resolved AS MATERIALIZED (
  SELECT i.*, a.id AS agent_id, coalesce(i.department_id, a.department_id) AS resolved_department_id, c.id AS customer_id
  FROM input i
  JOIN agents a ON a.key = i.agent_key
  LEFT JOIN customers c ON c.key = i.customer_key
),
keys AS (
  INSERT INTO usage_event_keys (source, event_key, timestamp)
  SELECT $1, r.event_key, r.ts FROM resolved r
  ORDER BY r.ord
  ON CONFLICT (source, event_key) DO NOTHING
  RETURNING event_key, event_id
),
ins AS (
  INSERT INTO usage_events (id, source, event_key, timestamp, type, agent_id, department_id, customer_id, quantity,
    reported_cost, computed_cost, computed_price_id, cost, model, input_tokens, output_tokens, cache_read_tokens,
    cache_creation_tokens, reasoning_tokens, task_type, handled_by, task_status, duration_seconds, properties, late,
    corrects_event_id, correction_kind, event_sign, price_rule, unpriced, service_tier, original_cost, original_currency,
    fx_rate, fx_rate_date, fx_pending)
  SELECT k.event_id, $1, r.event_key, r.ts, r.type, r.agent_id, r.resolved_department_id, r.customer_id, r.quantity,
    r.reported_cost, r.computed_cost, r.computed_price_id, r.cost, r.model, r.input_tokens, r.output_tokens,
    r.cache_read_tokens, r.cache_creation_tokens, r.reasoning_tokens, r.task_type, r.handled_by, r.task_status,
    r.duration_seconds, r.properties,
    EXISTS (SELECT 1 FROM finalized f WHERE r.ts >= f.period_start AND r.ts < f.period_end),
    r.corrects_event_id, r.correction_kind, CASE WHEN r.correction_kind = 'reversal' THEN -1 ELSE 1 END,
    r.price_rule, r.unpriced, r.service_tier, r.original_cost, r.original_currency, r.fx_rate, r.fx_rate_date, r.fx_pending
  FROM resolved r JOIN keys k ON k.event_key = r.event_key
  ORDER BY r.ord
  RETURNING *
),
tail AS (${TAIL_APPEND("ins")}),
budget AS (${BUDGET_SPEND_UPSERT("ins")} RETURNING day::text, source, agent_id, department_id, cost::text)
SELECT (SELECT count(*)::int FROM ins) AS accepted,
  (SELECT coalesce(json_agg(json_build_array(day, source, agent_id, department_id, cost)), '[]') FROM budget) AS spend,
  (SELECT pg_notify('${BUDGET_CHANNEL}', 'spend') FROM (SELECT 1 FROM budget LIMIT 1) x) AS notified`;

// Only keys that do not exist yet reach the INSERT, so existing agents do not burn sequence values per batch.
const CREATE_AGENTS_AND_CUSTOMERS = `
WITH a AS (
  INSERT INTO agents (key, name, updated_at)
  SELECT k, k, now() FROM unnest($1::text[]) AS k WHERE NOT EXISTS (SELECT 1 FROM agents WHERE key = k)
  ORDER BY k ON CONFLICT (key) DO NOTHING
),
c AS (
  INSERT INTO customers (key, name, updated_at)
  SELECT k, k, now() FROM unnest($2::text[]) AS k WHERE NOT EXISTS (SELECT 1 FROM customers WHERE key = k)
  ORDER BY k ON CONFLICT (key) DO NOTHING
)
SELECT 1`;

/**
 * Unknown agent and customer keys become new agents (no department) and customers, named after their key,
 * so no event is dropped. Committed on its own: creation is idempotent, and a rename can follow in the admin UI.
 */
async function createMissingAgentsAndCustomers(pool: Queryable, rows: EventRow[]) {
  const agents = new Set<string>();
  const customers = new Set<string>();
  for (const row of rows) {
    agents.add(row.agentKey);
    if (row.customerKey !== null) customers.add(row.customerKey);
  }
  await pool.query({ name: "ingest_create_keys", text: CREATE_AGENTS_AND_CUSTOMERS, values: [[...agents], [...customers]] });
}

/** Stores the rows (sorted by key) for `source`; returns how many were new (the rest were already stored). */
export async function writeEvents(pool: Queryable, source: string, rows: EventRow[]): Promise<number> {
  return (await writeEventsWithSpend(pool, source, rows)).accepted;
}

/** writeEvents, also returning the budget spend rows it changed (their new totals) for the in-process cache. */
export async function writeEventsWithSpend(pool: Queryable, source: string, rows: EventRow[]): Promise<{ accepted: number; spend: SpendRow[] }> {
  if (rows.length === 0) return { accepted: 0, spend: [] };
  await createMissingAgentsAndCustomers(pool, rows);
  const column = <T>(pick: (row: EventRow) => T) => rows.map(pick);
  const result = await pool.query<{ accepted: number; spend: SpendRow[] }>({
    name: "ingest_events",
    text: INSERT_EVENTS,
    values: [
      source,
      column((r) => r.key),
      column((r) => r.timestamp),
      column((r) => r.type),
      column((r) => r.agentKey),
      column((r) => r.departmentId),
      column((r) => r.customerKey),
      column((r) => r.quantity),
      column((r) => r.reportedCost),
      column((r) => r.computedCost),
      column((r) => r.computedPriceId),
      column((r) => r.cost),
      column((r) => r.model),
      column((r) => r.inputTokens),
      column((r) => r.outputTokens),
      column((r) => r.cacheReadTokens),
      column((r) => r.cacheCreationTokens),
      column((r) => r.reasoningTokens),
      column((r) => r.taskType),
      column((r) => r.handledBy),
      column((r) => r.taskStatus),
      column((r) => r.durationSeconds),
      column((r) => r.properties),
      // Only corrections (lib/corrections) set these; a reversal row counts as -1 event in the rollups.
      column((r) => r.correctsEventId ?? null),
      column((r) => r.correctionKind ?? null),
      column((r) => r.priceRule),
      column((r) => r.unpriced),
      column((r) => r.serviceTier),
      column((r) => r.originalCost ?? null),
      column((r) => r.originalCurrency ?? null),
      column((r) => r.fxRate ?? null),
      column((r) => r.fxRateDate ?? null),
      column((r) => r.fxPending ?? false),
    ],
  });
  return { accepted: result.rows[0]!.accepted, spend: result.rows[0]!.spend };
}

/** What a key's policy needs to check a batch (compilePolicy's `needs`): one query each, only when needed. */
export async function loadPolicyLookups(
  pool: Queryable,
  needs: { agents: boolean; customers: boolean; finalized: boolean },
  events: { event: { agent: string; customer?: string } }[],
): Promise<PolicyLookups> {
  const agentKeys = needs.agents ? [...new Set(events.map((e) => e.event.agent))] : [];
  const customerKeys = needs.customers ? [...new Set(events.flatMap((e) => (e.event.customer === undefined ? [] : [e.event.customer])))] : [];
  const [agents, customers, finalized] = await Promise.all([
    needs.agents ? pool.query<{ key: string; department_id: number | null }>("SELECT key, department_id FROM agents WHERE key = ANY($1::text[])", [agentKeys]) : null,
    needs.customers ? pool.query<{ key: string }>("SELECT key FROM customers WHERE key = ANY($1::text[])", [customerKeys]) : null,
    // The same periods the insert marks as late (any finalized invoice's period).
    needs.finalized
      ? pool.query<{ start: Date; end: Date; period: string }>(
          "SELECT DISTINCT period_start AS start, period_end AS end, period FROM invoices WHERE status = 'finalized'",
        )
      : null,
  ]);
  return {
    agents: agents ? new Map(agents.rows.map((r) => [r.key, r.department_id])) : null,
    customers: customers ? new Set(customers.rows.map((r) => r.key)) : null,
    finalized: finalized ? finalized.rows.map((r) => ({ start: r.start.getTime(), end: r.end.getTime(), period: r.period })) : null,
  };
}

/** Department ids for the codes a batch mentions. */
export async function loadDepartments(pool: Queryable, codes: string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const result = await pool.query<{ id: number; code: string }>("SELECT id, code FROM departments WHERE code = ANY($1::text[])", [codes]);
  return new Map(result.rows.map((r) => [r.code, r.id]));
}
