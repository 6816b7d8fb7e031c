import { describe, expect, it } from "vitest";
import { fxLookup } from "@/lib/currency/event-cost";
import { PriceBook, type PriceRowInput } from "@/lib/pricing/match";
import { parseTimestamp, toDecimalText } from "./schemas";
import { parseBatch, parseEvent, toRow, validateBatch, type IngestContext } from "./validate";

const now = Date.parse("2026-11-25T12:00:00Z");
const price = (over: Partial<PriceRowInput>): PriceRowInput => ({
  id: 1,
  provider: "openai",
  model: "gpt-5",
  source: "manual",
  serviceTier: "default",
  match: null,
  currency: "USD",
  inputPerMTok: "1.25",
  outputPerMTok: "10",
  cacheReadPerMTok: "0.125",
  cacheCreationPerMTok: null,
  reasoningPerMTok: null,
  tiers: null,
  effectiveFrom: Date.parse("2025-01-01T00:00:00Z"),
  effectiveTo: null,
  ...over,
});
const book = (rows: PriceRowInput[]) => new PriceBook({ rows, aliases: [], discounts: [], providers: [] });
const ctx: IngestContext = {
  currency: "USD",
  now,
  maxClockSkewSeconds: 300,
  departments: new Map([["SUPPORT", 7]]),
  prices: book([price({ effectiveTo: Date.parse("2026-06-01T00:00:00Z") }), price({ id: 2, inputPerMTok: "2", effectiveFrom: Date.parse("2026-06-01T00:00:00Z") })]),
  // 1 EUR = 1.05 USD from 2026-11-20; 1 EUR = 160 JPY (JPY converts through EUR); nothing for CHF.
  fx: fxLookup("USD", "Europe/Zurich", [
    { id: 1, base: "EUR", quote: "USD", date: "2026-11-20", rate: "1.05" },
    { id: 2, base: "EUR", quote: "JPY", date: "2026-11-24", rate: "160" },
  ]),
};
const base = { id: "e1", timestamp: "2026-11-25T11:00:00Z", agent: "bot", type: "llm.call" };

function row(event: object) {
  const parsed = parseEvent(event);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  const result = toRow(parsed.event, ctx);
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result.row;
}
function errors(event: object, context = ctx) {
  const parsed = parseEvent(event);
  if (!parsed.ok) return parsed.errors;
  const result = toRow(parsed.event, context);
  return result.ok ? [] : result.errors;
}

describe("parseTimestamp", () => {
  it("accepts RFC 3339 with an offset and converts to UTC milliseconds", () => {
    expect(parseTimestamp("2026-01-31T12:00:00Z")).toBe(Date.parse("2026-01-31T12:00:00Z"));
    expect(parseTimestamp("2026-01-31T13:30:00.123456+01:30")).toBe(Date.parse("2026-01-31T12:00:00.123Z"));
    expect(parseTimestamp("2024-02-29t00:00:00-05:00")).toBe(Date.parse("2024-02-29T05:00:00Z"));
  });
  it.each(["2026-01-31T12:00:00", "2026-01-31", "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-13-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-01-01T00:00:00+24:00", " 2026-01-01T00:00:00Z", "1e12"])(
    "rejects %j",
    (value) => expect(parseTimestamp(value)).toBeNull(),
  );
});

describe("toDecimalText", () => {
  it.each([
    ["0.0123", "0.0123"],
    ["000.5000", "0.5"],
    [0.1, "0.1"],
    [1e-7, "0.0000001"],
    [1e21, null],
    [12, "12"],
    ["-0", "0"],
  ])("%j → %j", (input, expected) => {
    const result = toDecimalText(input, 10, 10);
    expect(result.ok ? result.value : null).toBe(expected);
  });
  it.each([[-1], ["-0.1"], ["1e5"], ["NaN"], [Number.NaN], [Infinity], [" 1"], ["1."], [".5"], ["0.00000000001"], ["12345678901"]])("rejects %j", (input) => {
    expect(toDecimalText(input, 10, 10).ok).toBe(false);
  });
});

describe("parseEvent", () => {
  it("names each invalid field", () => {
    expect(errors({ id: "", agent: 5, type: "t", extra: true, tokens: { input: -1, output: 1.5 } })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: /),
        "timestamp: required",
        expect.stringMatching(/^agent: /),
        "extra: unknown field",
        expect.stringMatching(/^tokens\.input: /),
        expect.stringMatching(/^tokens\.output: /),
      ]),
    );
  });
  it("rejects non-object events", () => {
    for (const value of [null, 1, "x", [], true]) expect(errors(value as object)[0]).toMatch(/^\(event\): /);
  });
  it("limits properties to 50 flat string/number/boolean values", () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect(errors({ ...base, properties: many })).toEqual(["properties: at most 50 keys"]);
    expect(errors({ ...base, properties: { nested: { a: 1 } } })[0]).toMatch(/^properties\.nested: /);
    expect(errors({ ...base, properties: { long: "x".repeat(1025) } })[0]).toMatch(/^properties\.long: /);
    expect(errors({ ...base, properties: { ok: "x", n: 1.5, b: false } })).toEqual([]);
    expect(errors({ ...base, properties: { nested: [1] } })).toEqual(["properties.nested: must be a string, number or boolean"]);
    expect(errors(JSON.parse(`{"id":"e","timestamp":"2026-01-01T00:00:00Z","agent":"a","type":"t","properties":{"__proto__":1}}`))).toEqual(["properties.__proto__: reserved key"]);
  });
  it("rejects strings PostgreSQL cannot store", () => {
    expect(errors({ ...base, agent: "a\u0000b" })[0]).toMatch(/^agent: /);
    expect(errors({ ...base, type: "\ud800" })[0]).toMatch(/^type: /);
    expect(errors({ ...base, properties: { "\ud800": 1 } })[0]).toMatch(/^properties/);
  });
  it("checks cost, task and tokens shapes", () => {
    expect(errors({ ...base, cost: { amount: "1", currency: "usd" } })[0]).toMatch(/^cost\.currency: /);
    expect(errors({ ...base, cost: { amount: "0.00000000001", currency: "USD" } })).toEqual(["cost.amount: at most 10 decimal places"]);
    expect(errors({ ...base, task: { type: "x", handled_by: "robot" } })[0]).toMatch(/^task\.handled_by: /);
    expect(errors({ ...base, quantity: -2 })).toEqual(["quantity: must not be negative"]);
  });
});

describe("toRow", () => {
  it("stores defaults", () => {
    expect(row(base)).toMatchObject({ key: "e1", timestamp: "2026-11-25T11:00:00.000Z", quantity: "1", cost: "0", reportedCost: null, computedCost: null, departmentId: null, properties: "{}" });
  });
  it("keeps a reported cost exact and never computes over it", () => {
    expect(row({ ...base, model: "gpt-5", tokens: { input: 1000 }, cost: { amount: 0.1, currency: "USD" } })).toMatchObject({ reportedCost: "0.1", computedCost: null, cost: "0.1" });
  });
  it("computes cost from the price effective at the event's timestamp", () => {
    expect(row({ ...base, model: "gpt-5", tokens: { input: 1_000_000, output: 1000, cache_read: 1000 } })).toMatchObject({
      computedCost: "2.0101250000",
      computedPriceId: 2,
      cost: "2.0101250000",
    });
    expect(row({ ...base, timestamp: "2026-01-01T00:00:00Z", model: "gpt-5", tokens: { input: 1_000_000 } })).toMatchObject({ computedCost: "1.2500000000", computedPriceId: 1 });
    expect(row({ ...base, timestamp: "2024-01-01T00:00:00Z", model: "gpt-5", tokens: { input: 1_000_000 } })).toMatchObject({ computedCost: null, cost: "0", unpriced: true });
    expect(row({ ...base, model: "unknown-model", tokens: { input: 5 } })).toMatchObject({ computedCost: null, cost: "0", unpriced: true, priceRule: null });
  });
  it("bills the audio token properties at the row's audio prices; other values are not counts", () => {
    const audio = { ...ctx, prices: book([price({ inputPerMTok: "2", inputAudioPerMTok: "40", outputAudioPerMTok: "80" })]) };
    const priced = (properties: object) => {
      const parsed = parseEvent({ ...base, model: "gpt-5", tokens: { input: 1_000, output: 100 }, properties });
      const result = parsed.ok ? toRow(parsed.event, audio) : null;
      return result?.ok ? result.row.computedCost : null;
    };
    // 400×2 + 600×40 + 80×10 + 20×80 = 27200 per million.
    expect(priced({ usage_audio_input_tokens: 600, usage_audio_output_tokens: 20 })).toBe("0.0272000000");
    // 1000×2 + 100×10 = 3000 per million.
    for (const bad of ["600", 1.5, -1, true]) expect(priced({ usage_audio_input_tokens: bad }), String(bad)).toBe("0.0030000000");
  });
  it("flags tokens without a price as unpriced, never tokens with a reported cost or no tokens at all", () => {
    expect(row({ ...base, tokens: { output: 5 } })).toMatchObject({ unpriced: true, cost: "0" });
    expect(row({ ...base, model: "x", tokens: { input: 0 } })).toMatchObject({ unpriced: false });
    expect(row({ ...base, model: "x", tokens: { input: 9 }, cost: { amount: "0.5", currency: "USD" } })).toMatchObject({ unpriced: false, cost: "0.5" });
    expect(row({ ...base, model: "gpt-5-2025-08-07", tokens: { input: 1_000_000 } })).toMatchObject({ unpriced: false, computedCost: "2.0000000000", priceRule: "manual:family:as-sent" });
  });
  it("prices a service tier with its published share, and leaves a tier without a price unpriced", () => {
    expect(row({ ...base, model: "gpt-5", service_tier: "batch", tokens: { input: 1_000_000 } })).toMatchObject({ computedCost: "1.0000000000", serviceTier: "batch" });
    expect(row({ ...base, model: "gpt-5", service_tier: "priority", tokens: { input: 1_000_000 } })).toMatchObject({ unpriced: true, serviceTier: "priority" });
  });
  it("resolves department codes and rejects unknown ones", () => {
    expect(row({ ...base, department: "SUPPORT" }).departmentId).toBe(7);
    expect(errors({ ...base, department: "NOPE" })).toEqual(["department: unknown department code 'NOPE'"]);
  });
  it("converts a cost in another currency at the event's local day, keeping what was sent", () => {
    expect(row({ ...base, cost: { amount: "0.0004", currency: "EUR" } })).toMatchObject({
      reportedCost: "0.0004200000", cost: "0.0004200000", originalCost: "0.0004", originalCurrency: "EUR",
      fxRate: "1.05", fxRateDate: "2026-11-20", fxPending: false,
    });
    // 1000 JPY = 1000 / 160 × 1.05 USD, half-even at 10 decimals.
    expect(row({ ...base, cost: { amount: "1000", currency: "JPY" } })).toMatchObject({ cost: "6.5625000000", fxRateDate: "2026-11-20" }); // a cross is as old as its older leg
    // 2026-11-23 23:30 UTC is 2026-11-24 in Zurich: that day's JPY rate applies; an hour earlier it does not.
    expect(row({ ...base, timestamp: "2026-11-23T23:30:00Z", cost: { amount: "1000", currency: "JPY" } }).fxPending).toBe(false);
    expect(row({ ...base, timestamp: "2026-11-23T22:30:00Z", cost: { amount: "1000", currency: "JPY" } }).fxPending).toBe(true);
  });
  it("stores a cost with no rate yet as pending: 0 in the organization currency, the amount kept", () => {
    expect(row({ ...base, cost: { amount: "12.5", currency: "CHF" } })).toMatchObject({
      cost: "0", reportedCost: "0", originalCost: "12.5", originalCurrency: "CHF", fxRate: null, fxRateDate: null, fxPending: true,
    });
    const usd = row({ ...base, cost: { amount: "1", currency: "USD" } });
    expect([usd.cost, usd.originalCurrency ?? null, usd.fxPending ?? false]).toEqual(["1", null, false]);
  });
  it("rejects a code that is not an active ISO 4217 currency, and a conversion too large to store", () => {
    expect(errors({ ...base, cost: { amount: "1", currency: "XYZ" } })).toEqual(["cost.currency: 'XYZ' is not an active ISO 4217 currency code"]);
    expect(errors({ ...base, cost: { amount: "9999999999", currency: "EUR" } })).toEqual(["cost.amount: 9999999999 EUR is more than 9999999999.9999999999 USD"]);
  });
  it("rejects timestamps beyond the clock skew", () => {
    expect(errors({ ...base, timestamp: "2026-11-25T12:04:59Z" })).toEqual([]);
    expect(errors({ ...base, timestamp: "2026-11-25T12:05:01Z" })).toEqual(["timestamp: more than 300 s in the future"]);
  });
  it("rounds durations to milliseconds", () => {
    expect(row({ ...base, task: { type: "t", duration_seconds: 1.23456 } }).durationSeconds).toBe("1.235");
  });
});

describe("validateBatch", () => {
  it("keeps the first valid occurrence of an id, reports rejects by index, sorts rows by id", () => {
    const parsed = parseBatch([
      { ...base, id: "b", department: "NOPE" },
      { ...base, id: "b", quantity: 2 },
      { ...base, id: "a" },
      { ...base, id: "b", quantity: 3 },
      { id: 42 },
    ]);
    const batch = validateBatch(parsed, ctx);
    expect(batch.rows.map((r) => [r.key, r.quantity])).toEqual([["a", "1"], ["b", "2"]]);
    expect(batch.duplicatesInBatch).toBe(1);
    expect(batch.rejected.map((r) => [r.index, r.id])).toEqual([[0, "b"], [4, null]]);
  });
});
