// The organization's compiled price rules, cached per app instance and reloaded only when pricing_state's
// generation moves (a trigger bumps it on every change to prices, aliases, discounts or catalog providers), so a
// batch pays one primary-key read, and each instance sees another instance's change on its next batch.
import "server-only";
import type { Pool } from "pg";
import type { MatchLogic, PriceTier } from "./catalog";
import { PriceBook, type PriceRowInput } from "./match";

let cached: { generation: string; book: PriceBook } | null = null;
let loading: { generation: string; promise: Promise<PriceBook> } | null = null;

export async function loadPriceBook(pool: Pool): Promise<PriceBook> {
  const { rows } = await pool.query<{ generation: string }>({ name: "pricing_generation", text: "SELECT generation::text FROM pricing_state WHERE id = 1" });
  const generation = rows[0]?.generation ?? "0";
  if (cached?.generation === generation) return cached.book;
  if (loading?.generation !== generation) {
    const promise = buildBook(pool).then((book) => {
      // Data read after the generation: at least as new as it, so caching it under that generation is safe.
      cached = { generation, book };
      return book;
    });
    promise.catch(() => {
      if (loading?.promise === promise) loading = null;
    });
    loading = { generation, promise };
  }
  return loading.promise;
}

/** Drops the cached rules (tests that rewrite the tables without the trigger, e.g. TRUNCATE as owner). */
export function forgetPriceBook() {
  cached = null;
  loading = null;
}

export async function buildBook(pool: Pool): Promise<PriceBook> {
  const [prices, aliases, discounts, providers] = await Promise.all([
    pool.query<{
      id: number;
      provider: string;
      model: string;
      source: string;
      service_tier: string;
      match: MatchLogic | null;
      currency: string;
      input: string;
      output: string;
      cache_read: string | null;
      cache_creation: string | null;
      reasoning: string | null;
      input_audio: string | null;
      output_audio: string | null;
      tiers: PriceTier[] | null;
      effective_from: Date;
      effective_to: Date | null;
    }>(
      `SELECT id, provider, model, source, service_tier, match, trim(currency) AS currency, input_per_mtok::text AS input,
         output_per_mtok::text AS output, cache_read_per_mtok::text AS cache_read, cache_creation_per_mtok::text AS cache_creation,
         reasoning_per_mtok::text AS reasoning, input_audio_per_mtok::text AS input_audio,
         output_audio_per_mtok::text AS output_audio, tiers, effective_from, effective_to
       FROM model_prices ORDER BY id`,
    ),
    pool.query<{ alias: string; model: string; provider: string | null }>("SELECT alias, model, provider FROM model_aliases"),
    pool.query<{ id: number; provider: string; model: string | null; percent: string; effective_from: Date; effective_to: Date | null }>(
      "SELECT id, provider, model, percent::text AS percent, effective_from, effective_to FROM price_discounts",
    ),
    pool.query<{ id: string; model_match: MatchLogic | null; fallback: string[] | null; position: number }>(
      "SELECT id, model_match, fallback, position FROM price_catalog_providers",
    ),
  ]);
  return new PriceBook({
    rows: prices.rows.map(
      (r): PriceRowInput => ({
        id: r.id,
        provider: r.provider,
        model: r.model,
        source: r.source === "catalog" ? "catalog" : "manual",
        serviceTier: r.service_tier,
        match: r.match,
        currency: r.currency,
        inputPerMTok: r.input,
        outputPerMTok: r.output,
        cacheReadPerMTok: r.cache_read,
        cacheCreationPerMTok: r.cache_creation,
        reasoningPerMTok: r.reasoning,
        inputAudioPerMTok: r.input_audio,
        outputAudioPerMTok: r.output_audio,
        tiers: r.tiers,
        effectiveFrom: r.effective_from.getTime(),
        effectiveTo: r.effective_to?.getTime() ?? null,
      }),
    ),
    aliases: aliases.rows,
    discounts: discounts.rows.map((d) => ({
      id: d.id,
      provider: d.provider,
      model: d.model,
      percent: d.percent,
      effectiveFrom: d.effective_from.getTime(),
      effectiveTo: d.effective_to?.getTime() ?? null,
    })),
    providers: providers.rows.map((p) => ({ id: p.id, modelMatch: p.model_match, fallback: p.fallback ?? [], position: p.position })),
  });
}
