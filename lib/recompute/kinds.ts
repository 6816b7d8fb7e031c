// What a recompute run changes. A kind reads stored events and returns new values for the computed columns it
// owns, or null when an event is unchanged. It never changes a column a client sent, nor a rollup key column
// (the engine moves money between existing rollup rows, never events between rows).
// Kinds: re-price from the current model_prices; convert costs sent in other currencies at the current FX rates.
import "server-only";
import Decimal from "decimal.js";
import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import { convertedCost, foreignCost, localDay } from "@/lib/currency/event-cost";
import { loadFxLookup } from "@/lib/currency/lookup";
import { audioTokensOf, promptTierOf } from "@/lib/ingest/validate";
import { loadPriceBook } from "@/lib/pricing/book";
import type { ServiceTier } from "@/lib/pricing/match";

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
  priceRule: string | null;
  unpriced: boolean;
  serviceTier: string | null;
  properties: Record<string, string | number | boolean> | null;
  cost: string;
  originalCost: string | null;
  originalCurrency: string | null;
  fxRate: string | null;
  fxRateDate: string | null;
  fxPending: boolean;
  department: string | null;
  customer: string | null;
};

export type KindChange = { values: unknown[]; cost: string };

export type RecomputeKind = {
  /** SQL condition on usage_events `e` that every event this kind can change meets (narrows the scan). */
  where?: string;
  /** usage_events columns this kind writes, with the SQL array type its values are sent as, in `values` order. */
  writes: readonly { column: string; type: string }[];
  /** Loads what one batch needs; returns the per-event computation. */
  prepare(client: PoolClient, events: StoredEvent[], currency: string): Promise<(event: StoredEvent) => KindChange | null>;
};

// The same rules as ingestion (lib/ingest/validate.ts toRow): the organization's price book (catalog, aliases,
// overrides, discounts, tiers, service tiers); tokens without a price leave the event unpriced, not free.
const reprice: RecomputeKind = {
  writes: [
    { column: "computed_cost", type: "numeric" },
    { column: "computed_price_id", type: "int" },
    { column: "cost", type: "numeric" },
    { column: "price_rule", type: "text" },
    { column: "unpriced", type: "bool" },
    // A price listed in another currency: the cost in it and the rate, as for reported costs (lib/currency).
    { column: "original_cost", type: "numeric" },
    { column: "original_currency", type: "text" },
    { column: "fx_rate", type: "numeric" },
    { column: "fx_rate_date", type: "date" },
    { column: "fx_pending", type: "bool" },
  ],
  async prepare(client, events, currency) {
    const book = await loadPriceBook(pool);
    const { rows } = await client.query<{ time_zone: string }>("SELECT time_zone FROM organizations WHERE id = 1");
    const timeZone = rows[0]!.time_zone;
    const foreign = book.currencies.filter((c) => c !== currency);
    const needs = events.flatMap((e) => (e.reportedCost === null && e.model ? foreign.map((c) => ({ currency: c, day: localDay(e.timestamp, timeZone) })) : []));
    const lookup = await loadFxLookup(client, currency, timeZone, needs);
    return (e) => {
      // A reported cost is a fact the client sent: never re-priced.
      if (e.reportedCost !== null) return null;
      const [inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, reasoningTokens] = [
        e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheCreationTokens, e.reasoningTokens,
      ].map((t) => Math.abs(Number(t)));
      // No usage recorded: ingestion did not price it (no tokens), nothing to re-price.
      if (!inputTokens && !outputTokens && !cacheReadTokens && !cacheCreationTokens && !reasoningTokens) return null;
      const priced = e.model
        ? book.price(e.model, e.timestamp.getTime(), (e.serviceTier as ServiceTier | null) ?? null,
            { inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens, reasoningTokens, ...audioTokensOf(e.properties) },
            promptTierOf(e.properties ?? undefined))
        : null;
      // A reversal row (sign -1) carries its original's negated tokens and cost.
      const listed = priced?.ok ? new Decimal(priced.cost).times(e.sign < 0 ? -1 : 1).toFixed(10) : null;
      const converted = priced?.ok && listed !== null && priced.currency !== currency ? foreignCost(listed, priced.currency, localDay(e.timestamp, timeZone), lookup) : null;
      // Too large for the cost column at this rate: left as it is.
      if (priced?.ok && priced.currency !== currency && !converted) return null;
      const computed = converted ? new Decimal(converted.cost) : listed === null ? null : new Decimal(listed);
      const priceId = priced?.ok ? priced.priceId : null;
      const rule = priced?.ok ? priced.rule.slice(0, 500) : null;
      const unpriced = !priced?.ok;
      const same =
        (computed === null ? e.computedCost === null : e.computedCost !== null && computed.eq(e.computedCost)) &&
        priceId === e.computedPriceId && rule === e.priceRule && unpriced === e.unpriced &&
        (converted?.originalCurrency ?? null) === e.originalCurrency && (converted?.fxRate ?? null) === (e.fxRate === null ? null : new Decimal(e.fxRate).toFixed()) &&
        (converted?.fxPending ?? false) === e.fxPending;
      if (same) return null;
      const cost = computed?.toFixed(10) ?? "0.0000000000";
      return {
        values: [computed?.toFixed(10) ?? null, priceId, cost, rule, unpriced, converted?.originalCost ?? null, converted?.originalCurrency ?? null, converted?.fxRate ?? null, converted?.fxRateDate ?? null, converted?.fxPending ?? false],
        cost,
      };
    };
  },
};

// The ingestion rule (lib/ingest/validate.ts toRow, lib/currency/event-cost.ts): the rate for the event's day in the
// organization's time zone; none (any more): 0 and pending. Runs after rates are written (lib/currency/admin.ts),
// converting pending events and re-converting converted ones whose rate changed.
const fx: RecomputeKind = {
  where: "e.original_currency IS NOT NULL",
  writes: [
    { column: "reported_cost", type: "numeric" },
    { column: "cost", type: "numeric" },
    { column: "fx_rate", type: "numeric" },
    { column: "fx_rate_date", type: "date" },
    { column: "fx_pending", type: "bool" },
    { column: "computed_cost", type: "numeric" },
  ],
  async prepare(client, events, currency) {
    const { rows } = await client.query<{ time_zone: string }>("SELECT time_zone FROM organizations WHERE id = 1");
    const timeZone = rows[0]!.time_zone;
    const dayOf = (e: StoredEvent) => localDay(e.timestamp, timeZone);
    const needs = events.flatMap((e) => (e.originalCurrency ? [{ currency: e.originalCurrency, day: dayOf(e) }] : []));
    const lookup = await loadFxLookup(client, currency, timeZone, needs);
    return (e) => {
      if (e.originalCurrency === null || e.originalCost === null) return null;
      // Costs computed from a price in another currency (no reported cost) convert into computed_cost instead.
      const computedOne = e.reportedCost === null;
      const values = (cost: string, rate: string | null, date: string | null, pending: boolean) =>
        computedOne ? [null, cost, rate, date, pending, cost] : [cost, cost, rate, date, pending, e.computedCost];
      const rate = lookup.rate(e.originalCurrency, dayOf(e));
      if (!rate) return e.fxPending ? null : { values: values("0", null, null, true), cost: "0" };
      // Too large for the cost column at this rate: left as it is.
      const cost = convertedCost(e.originalCost, rate);
      if (cost === null) return null;
      const same = !e.fxPending && e.fxRate !== null && rate.rate.eq(e.fxRate) && rate.date === e.fxRateDate && new Decimal(e.cost).eq(cost);
      return same ? null : { values: values(cost, rate.rate.toFixed(), rate.date, false), cost };
    };
  },
};

export const KINDS = { reprice, fx } as const satisfies Record<string, RecomputeKind>;
export type KindName = keyof typeof KINDS;
export const KIND_NAMES = Object.keys(KINDS) as [KindName, ...KindName[]];
