// Every real model id form prices as the provider's published list price says. The expected prices are typed
// from the providers' pricing pages (real-model-ids.fixture.ts), the costs computed here with decimal.js; only
// the match rules and the prices under test come from the catalog package.
import Decimal from "decimal.js";
import { waitForUpdate } from "@pydantic/genai-prices";
import { beforeAll, describe, expect, it } from "vitest";
import type { CatalogProviderData } from "./catalog";
import type { PriceBook } from "./match";
import { KNOWN_CATALOG_GAPS, REAL_MODEL_IDS, SOURCES, type ListPrice } from "./real-model-ids.fixture";
import { bookFromCatalog } from "./test-book";

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
const AT = Date.parse("2025-10-15T12:00:00Z");
const DEFAULT_TOKENS: { input: number; output: number; cache_read?: number; cache_creation?: number } = { input: 12_345, output: 678 };

/** Independent cost: the whole call at the tier its prompt size reaches; cache classes fall back to input. */
function expectedCost(price: ListPrice, t: { input: number; output: number; cache_read?: number; cache_creation?: number }): string {
  const prompt = t.input + (t.cache_read ?? 0) + (t.cache_creation ?? 0);
  const p = price.tierAbove !== undefined && prompt > price.tierAbove ? { ...price, ...price.tier } : price;
  return new D(t.input)
    .times(p.input)
    .plus(new D(t.output).times(p.output))
    .plus(new D(t.cache_read ?? 0).times(p.cacheRead ?? p.input))
    .plus(new D(t.cache_creation ?? 0).times(p.cacheWrite ?? p.input))
    .dividedBy(1_000_000)
    .toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN)
    .toFixed(10);
}

let data: CatalogProviderData[];
let book: PriceBook;
beforeAll(async () => {
  data = (await waitForUpdate()) as unknown as CatalogProviderData[];
  book = bookFromCatalog(data).book;
});

describe("real model ids", () => {
  it("cover at least 60 ids in every form the providers and gateways return", () => {
    expect(REAL_MODEL_IDS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(REAL_MODEL_IDS.map((r) => r.form))).toEqual(new Set(Object.keys(SOURCES.FORMS)));
  });

  it.each(REAL_MODEL_IDS.map((r, i) => [`${r.id}${r.tokens ? ` (${JSON.stringify(r.tokens)})` : ""} #${i}`, r] as const))("%s", (_name, r) => {
    const tokens = r.tokens ?? DEFAULT_TOKENS;
    const priced = book.price(
      r.id,
      AT,
      null,
      { inputTokens: tokens.input, outputTokens: tokens.output, cacheReadTokens: tokens.cache_read, cacheCreationTokens: tokens.cache_creation },
    );
    expect(priced.ok ? { provider: priced.provider, model: priced.model } : priced).toEqual({ provider: r.provider, model: r.model });
    expect(priced.ok && priced.cost).toBe(expectedCost(r.price, tokens));
  });

  it.each(KNOWN_CATALOG_GAPS.map((r) => [r.gap, r] as const))("known catalog gap, still there: %s", (_gap, r) => {
    const tokens = r.tokens ?? DEFAULT_TOKENS;
    const priced = book.price(r.id, AT, null, { inputTokens: tokens.input, outputTokens: tokens.output });
    expect(priced).toMatchObject({ ok: true, provider: r.provider, model: r.model });
    expect(priced.ok && priced.cost).not.toBe(expectedCost(r.price, tokens));
  });

  it("prices an Azure deployment name through an admin alias, and leaves it unpriced without one", () => {
    const withAlias = bookFromCatalog(data, { aliases: [{ alias: "Prod-GPT4o-EastUS", model: "gpt-4o", provider: "azure" }] }).book;
    const priced = withAlias.price("prod-gpt4o-eastus", AT, null, { inputTokens: 1_000_000, outputTokens: 100_000 });
    expect(priced).toMatchObject({ ok: true, provider: "openai", model: "gpt-4o", cost: "3.5000000000" });
    expect(priced.ok && priced.rule).toMatch(/^alias:prod-gpt4o-eastus→gpt-4o/);
    expect(book.price("prod-gpt4o-eastus", AT, null, { inputTokens: 5 })).toMatchObject({ ok: false });
  });

  it("applies published batch/flex shares and leaves priority without an explicit price unpriced", () => {
    const t = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(book.price("gpt-4o-2024-08-06", AT, "batch", t)).toMatchObject({ ok: true, cost: "6.2500000000" });
    expect(book.price("gpt-5", AT, "flex", t)).toMatchObject({ ok: true, cost: "5.6250000000" });
    expect(book.price("claude-haiku-4-5", AT, "batch", t)).toMatchObject({ ok: true, cost: "3.0000000000" });
    expect(book.price("gpt-4o", AT, "default", t)).toMatchObject({ ok: true, cost: "12.5000000000" });
    expect(book.price("gpt-4o", AT, "priority", t)).toMatchObject({ ok: false, reason: "no priority price for openai/gpt-4o" });
  });

  it("keeps an unknown id unpriced and says which provider it looks like", () => {
    expect(book.price("us.anthropic.claude-imaginary-9-v1:0", AT, null, { inputTokens: 5 })).toMatchObject({ ok: false, provider: "aws" });
    expect(book.price("totally-unknown-model", AT, null, { inputTokens: 5 })).toMatchObject({ ok: false, provider: null });
  });
});
