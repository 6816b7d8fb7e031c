// Rollup SQL shared by ingestion (incremental) and rebuilds (full), so both bucket and key rows identically.
// Key columns use 0 / "" for "none" so the composite primary key never contains NULL.

/**
 * `provider` is always a dimension, without being promoted: the event's `properties.provider` (FOCUS imports set it
 * from ServiceProviderName, OTLP from gen_ai.provider.name), so dashboards group and filter by provider. One value
 * per event: it adds rollup rows only where one agent/model mixes providers.
 */
export const BUILT_IN_DIMENSION = "provider";

/** Key expressions over a usage_events row aliased `e`; $tz and $dims are bound by the caller.
 * The CASE skips the per-row subquery when no dimension is promoted and the event has no provider (the common case). */
export function rollupKeyExpressions(tz: string, dims: string) {
  const [agent, department, type, model, taskType, handledBy, taskStatus] = [
    "e.agent_id", "coalesce(e.department_id, 0)", "e.type", "coalesce(e.model, '')", "coalesce(e.task_type, '')",
    "coalesce(e.handled_by, '')", "coalesce(e.task_status, '')",
  ];
  return {
    hour: `date_trunc('hour', e.timestamp, ${tz})`,
    day: `(e.timestamp AT TIME ZONE ${tz})::date`,
    /** In ROLLUP_KEY_COLUMNS order. */
    rest: `${agent}, ${department}, coalesce(e.customer_id, 0), ${type}, ${model}, ${taskType}, ${handledBy}, ${taskStatus},
      CASE WHEN cardinality(${dims}::text[]) = 0 AND NOT e.properties ? '${BUILT_IN_DIMENSION}' THEN '{}'::jsonb
        ELSE (SELECT coalesce(jsonb_object_agg(k, e.properties -> k), '{}'::jsonb)
              FROM unnest(array_append(array_remove(${dims}::text[], '${BUILT_IN_DIMENSION}'), '${BUILT_IN_DIMENSION}')) AS k WHERE e.properties ? k) END`,
    /** In CORE_KEY_COLUMNS order. */
    core: `${agent}, ${department}, ${type}, ${model}, ${taskType}, ${handledBy}, ${taskStatus}`,
    /** In CUSTOMER_KEY_COLUMNS order. */
    customer: `coalesce(e.customer_id, 0), ${agent}, ${department}`,
  };
}

/** What every cost figure leaves out: events with tokens but no reported cost and no price, and their tokens. */
export const UNPRICED_COLUMNS = [
  "unpriced_events",
  "unpriced_input_tokens",
  "unpriced_output_tokens",
  "unpriced_cache_read_tokens",
  "unpriced_cache_creation_tokens",
  "unpriced_reasoning_tokens",
] as const;

export const ROLLUP_KEY_COLUMNS = `agent_id, department_id, customer_id, type, model, task_type, handled_by, task_status, dims`;

/** Key of usage_rollup_daily_core and usage_rollup_hourly_core (after the bucket): the full key without customer and dimensions. */
export const CORE_KEY_COLUMNS = `agent_id, department_id, type, model, task_type, handled_by, task_status`;

/** Key of usage_rollup_daily_customer (after the day): what Usage groups and filters by when it reads it. */
export const CUSTOMER_KEY_COLUMNS = `customer_id, agent_id, department_id`;

export const ROLLUP_METRIC_COLUMNS = `events, quantity, cost, reported_cost, computed_cost,
  input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, reasoning_tokens, duration_seconds,
  ${UNPRICED_COLUMNS.join(", ")}`;

/** Sums of rollup rows aliased `e` (to fold one rollup into a coarser one), in ROLLUP_METRIC_COLUMNS order. */
export const ROLLUP_METRIC_SUMS = `sum(e.events), sum(e.quantity), sum(e.cost), sum(e.reported_cost), sum(e.computed_cost),
  sum(e.input_tokens), sum(e.output_tokens), sum(e.cache_read_tokens), sum(e.cache_creation_tokens),
  sum(e.reasoning_tokens), sum(e.duration_seconds),
  ${UNPRICED_COLUMNS.map((c) => `sum(e.${c})`).join(", ")}`;

/** Aggregates over rows aliased `e`, in ROLLUP_METRIC_COLUMNS order. `events` sums event_sign (a reversal row is -1). */
export const ROLLUP_METRIC_AGGREGATES = `sum(e.event_sign), sum(e.quantity), sum(e.cost),
  coalesce(sum(e.reported_cost), 0), coalesce(sum(e.computed_cost), 0),
  sum(e.input_tokens), sum(e.output_tokens), sum(e.cache_read_tokens), sum(e.cache_creation_tokens),
  sum(e.reasoning_tokens), coalesce(sum(e.duration_seconds), 0),
  coalesce(sum(e.event_sign) FILTER (WHERE e.unpriced), 0), coalesce(sum(e.input_tokens) FILTER (WHERE e.unpriced), 0),
  coalesce(sum(e.output_tokens) FILTER (WHERE e.unpriced), 0), coalesce(sum(e.cache_read_tokens) FILTER (WHERE e.unpriced), 0),
  coalesce(sum(e.cache_creation_tokens) FILTER (WHERE e.unpriced), 0), coalesce(sum(e.reasoning_tokens) FILTER (WHERE e.unpriced), 0)`;

/** ROLLUP_METRIC_COLUMNS as a list, for statements that combine two rollup rows column by column (lib/recompute). */
export const ROLLUP_METRIC_NAMES: readonly string[] = ROLLUP_METRIC_COLUMNS.split(",").map((c) => c.trim());

/** ON CONFLICT clause that adds the incoming metrics to an existing rollup row. */
export const ROLLUP_MERGE = `DO UPDATE SET
  events = r.events + EXCLUDED.events, quantity = r.quantity + EXCLUDED.quantity, cost = r.cost + EXCLUDED.cost,
  reported_cost = r.reported_cost + EXCLUDED.reported_cost, computed_cost = r.computed_cost + EXCLUDED.computed_cost,
  input_tokens = r.input_tokens + EXCLUDED.input_tokens, output_tokens = r.output_tokens + EXCLUDED.output_tokens,
  cache_read_tokens = r.cache_read_tokens + EXCLUDED.cache_read_tokens,
  cache_creation_tokens = r.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
  reasoning_tokens = r.reasoning_tokens + EXCLUDED.reasoning_tokens,
  duration_seconds = r.duration_seconds + EXCLUDED.duration_seconds,
  ${UNPRICED_COLUMNS.map((c) => `${c} = r.${c} + EXCLUDED.${c}`).join(", ")}`;

/** The full key's GROUP BY positions after the bucket: 1 (bucket) through 10. */
const FULL_KEY_POSITIONS = "1, 2, 3, 4, 5, 6, 7, 8, 9, 10";

/** The local day of a tail row's local hour `bucket`; needs the CTE `org` (its daily views read the stored day). */
export const TAIL_DAY = (bucket: string) => `(${bucket} AT TIME ZONE (SELECT time_zone FROM org))::date`;

/**
 * Appends the aggregates of usage_events rows in `from` (aliased e) per local hour and full key to the rollup tail;
 * needs the CTE `org` (time_zone, dimensions). The rollup views count the tail until the fold moves it in.
 */
export const TAIL_APPEND = (from: string) => {
  const k = rollupKeyExpressions("o.time_zone", "o.dimensions");
  return `
  INSERT INTO usage_rollup_tail (bucket, ${ROLLUP_KEY_COLUMNS}, ${ROLLUP_METRIC_COLUMNS}, day)
  SELECT a.*, ${TAIL_DAY("a.bucket")}
  FROM (SELECT ${k.hour} AS bucket, ${k.rest}, ${ROLLUP_METRIC_AGGREGATES}
        FROM ${from} e CROSS JOIN org o
        GROUP BY ${FULL_KEY_POSITIONS}) a`;
};
