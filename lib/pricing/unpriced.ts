// What cost figures leave out: events with tokens but no reported cost and no price. Read from the daily rollups
// (kept in step with raw events by the same statement), in the caller's department scope.
import "server-only";
import type { Caller } from "@/lib/auth/caller";
import { pool, db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { scopeSql } from "@/lib/analytics/scope";
import { checkRowCap, ROW_PROBE } from "@/lib/api/limits";
import type { DayRange } from "@/lib/analytics/period";
import { loadPriceBook } from "./book";
import type { UnpricedResponse, UnpricedSummary } from "./schemas";

const SUMS = Prisma.sql`coalesce(sum(r.unpriced_events), 0)::bigint AS "events",
  coalesce(sum(r.unpriced_input_tokens), 0)::bigint AS "input", coalesce(sum(r.unpriced_output_tokens), 0)::bigint AS "output",
  coalesce(sum(r.unpriced_cache_read_tokens), 0)::bigint AS "cacheRead",
  coalesce(sum(r.unpriced_cache_creation_tokens), 0)::bigint AS "cacheCreation",
  coalesce(sum(r.unpriced_reasoning_tokens), 0)::bigint AS "reasoning"`;
type SumRow = { events: bigint; input: bigint; output: bigint; cacheRead: bigint; cacheCreation: bigint; reasoning: bigint };

/** Unpriced events and tokens over `range` for a rollup `table` aliased r, with extra `AND …` filters. */
export async function unpricedTotals(range: DayRange, where: Prisma.Sql, table: Prisma.Sql = Prisma.raw("usage_rollup_daily_core")): Promise<UnpricedSummary> {
  const [row] = await db.$queryRaw<SumRow[]>(Prisma.sql`
    SELECT ${SUMS} FROM ${table} r WHERE r.day BETWEEN ${range.from}::date AND ${range.to}::date ${where}`);
  if (!row) return { events: 0, tokens: 0 };
  return { events: Number(row.events), tokens: Number(row.input + row.output + row.cacheRead + row.cacheCreation + row.reasoning) };
}

/** Per model id: unpriced events and tokens by class, most events first. */
export async function unpricedModels(caller: Caller, range: DayRange): Promise<UnpricedResponse> {
  const [rows, book] = await Promise.all([
    db.$queryRaw<(SumRow & { model: string })[]>(Prisma.sql`
      SELECT r.model AS "model", ${SUMS}
      FROM usage_rollup_daily_core r
      WHERE r.day BETWEEN ${range.from}::date AND ${range.to}::date AND r.unpriced_events <> 0 ${scopeSql(caller, "r.department_id")}
      GROUP BY r.model
      -- Per model, not per row: a re-costing's delta (lib/rollups/fold.ts) may not be folded into its row yet.
      HAVING sum(r.unpriced_events) > 0
      ORDER BY 2 DESC, 1
      LIMIT ${ROW_PROBE}`),
    loadPriceBook(pool),
  ]);
  checkRowCap(rows.length, "unpriced model ids", "narrow the date range");
  return {
    from: range.from,
    to: range.to,
    models: rows.map((r) => ({
      model: r.model,
      provider: r.model ? book.providerOf(r.model) : null,
      events: Number(r.events),
      tokens: { input: Number(r.input), output: Number(r.output), cache_read: Number(r.cacheRead), cache_creation: Number(r.cacheCreation), reasoning: Number(r.reasoning) },
    })),
  };
}
