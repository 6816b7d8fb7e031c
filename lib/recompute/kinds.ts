// What a recompute run changes. A kind reads stored events and returns new values for the computed columns it
// owns, or null when an event is unchanged. It never changes a column a client sent, nor a rollup key column
// (the engine moves money between existing rollup rows, never events between rows).
// First kind: re-price from the current model_prices. Later kinds (converted currency amounts, restatements)
// add an entry here with their columns.
import "server-only";
import type { PoolClient } from "pg";
import { computeTokenCostString } from "@/lib/pricing/cost";
import { priceAt } from "@/lib/ingest/validate";
import { loadPrices } from "@/lib/ingest/writer";

/** The stored event as the engine reads it (numeric columns as exact text). */
export type StoredEvent = {
  id: string;
  timestamp: Date;
  sign: number;
  model: string | null;
  inputTokens: string;
  outputTokens: string;
  cacheReadTokens: string;
  cacheCreationTokens: string;
  reasoningTokens: string;
  reportedCost: string | null;
  computedCost: string | null;
  computedPriceId: number | null;
  cost: string;
  department: string | null;
  customer: string | null;
};

export type KindChange = { values: unknown[]; cost: string };

export type RecomputeKind = {
  /** usage_events columns this kind writes, with the SQL array type its values are sent as, in `values` order. */
  writes: readonly { column: string; type: string }[];
  /** Loads what one batch needs; returns the per-event computation. */
  prepare(client: PoolClient, events: StoredEvent[], currency: string): Promise<(event: StoredEvent) => KindChange | null>;
};

const reprice: RecomputeKind = {
  writes: [
    { column: "computed_cost", type: "numeric" },
    { column: "computed_price_id", type: "int" },
    { column: "cost", type: "numeric" },
  ],
  async prepare(client, events, currency) {
    const models = [...new Set(events.flatMap((e) => (e.model === null ? [] : [e.model])))];
    const prices = await loadPrices(client, models);
    return (e) => {
      // A reported cost is a fact the client sent: never re-priced.
      if (e.reportedCost !== null || e.model === null) return null;
      const tokens = [e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheCreationTokens, e.reasoningTokens].map((t) => Math.abs(Number(t)));
      // No usage recorded and never priced: ingestion did not price it (no tokens object), nothing to re-price.
      if (e.computedPriceId === null && tokens.every((t) => t === 0)) return null;
      const price = priceAt(prices, e.model, e.timestamp.getTime());
      let computed: string | null = null;
      let priceId: number | null = null;
      // The same rule as ingestion (validate.ts): a price in another currency cannot price the event.
      if (price && price.currency === currency) {
        const [inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, reasoningTokens] = tokens;
        computed = computeTokenCostString({ inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, reasoningTokens }, price.micro);
        // A reversal row (sign -1) carries its original's negated tokens and cost.
        if (e.sign < 0 && !/^0\.0+$/.test(computed)) computed = `-${computed}`;
        priceId = price.id;
      }
      if (computed === e.computedCost && priceId === e.computedPriceId) return null;
      const cost = computed ?? "0.0000000000";
      return { values: [computed, priceId, cost], cost };
    };
  },
};

export const KINDS = { reprice } as const satisfies Record<string, RecomputeKind>;
export type KindName = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as [KindName, ...KindName[]];
