// Where raw events begin after retention: the one check every feature that reads raw events for a period uses
// (recompute runs: re-costing and re-conversion; corrections: restatements; the events drill-down; rollup rebuilds).
// Rollups and invoices keep the removed months; only what needs the raw rows themselves is bounded.
import "server-only";
import { ConflictError } from "@/lib/api/errors";
import { pool } from "@/lib/db";

type Queryable = { query: typeof pool.query };

/**
 * The instant from which every raw event is still stored, or null when retention removed nothing: the end of the
 * newest UTC month a retention run dropped (or is dropping) and no operator restored.
 */
export async function rawEventsFrom(client: Queryable = pool): Promise<Date | null> {
  const { rows } = await client.query<{ from: Date | null }>(
    `SELECT ((max(month) + interval '1 month')::timestamp AT TIME ZONE 'UTC') AS "from" FROM retention_runs WHERE status IN ('running', 'done')`,
  );
  return rows[0]?.from ?? null;
}

export class RetentionBoundaryError extends ConflictError {
  constructor(what: string, from: Date) {
    super(
      `${what} reaches only retained raw events: events before ${from.toISOString()} were removed by the raw event retention ` +
        `(rollups, dashboards and invoices keep them; an operator can restore an archived month, docs/retention.md). Choose a period from ${from.toISOString()}.`,
    );
  }
}

/** Refuses (409) a period that starts before the retained raw events. */
export async function assertRetained(what: string, periodStart: Date, client?: Queryable): Promise<void> {
  const from = await rawEventsFrom(client);
  if (from && periodStart < from) throw new RetentionBoundaryError(what, from);
}

/** A period cut to the retained raw events (derived scopes, e.g. the events a new FX rate or price change can reach). */
export async function retainedPart(period: { from: Date; to: Date }, client?: Queryable): Promise<{ from: Date; to: Date }> {
  const from = await rawEventsFrom(client);
  if (!from || period.from >= from) return period;
  return { from, to: period.to > from ? period.to : from };
}

/** Refuses (409) what needs every raw event ever stored: a rollup rebuild (time zone or dimension changes). */
export async function assertNothingRemoved(what: string, client?: Queryable): Promise<void> {
  const from = await rawEventsFrom(client);
  if (from) {
    throw new ConflictError(
      `${what} rebuilds the rollups from raw events, but events before ${from.toISOString()} were removed by the raw event retention: ` +
        `the rebuilt rollups would lose those months. Restore the archived months first (npm run retention:restore, docs/retention.md).`,
    );
  }
}
