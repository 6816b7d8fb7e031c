// The pure FOCUS mapping: cells across versions, date-time layouts, the AI filter, exact splits over local days.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import { cell, parseDateTime } from "./columns";
import { compileFilter, mapRecord, mappingSources, spreadDays, splitEvenly } from "./map";
import { focusSettings } from "./settings-schema";

describe("columns across FOCUS versions", () => {
  test("1.3 ServiceProviderName, else the older ProviderName; NULL and empty are null", () => {
    expect(cell({ ServiceProviderName: "AWS", ProviderName: "Old" }, "ServiceProviderName")).toBe("AWS");
    expect(cell({ ProviderName: "Microsoft" }, "ServiceProviderName")).toBe("Microsoft");
    expect(cell({ ProviderName: "Microsoft" }, "HostProviderName")).toBe("Microsoft");
    expect(cell({ ResourceName: "NULL" }, "ResourceName")).toBeNull();
    expect(cell({ ResourceName: " " }, "ResourceName")).toBeNull();
  });

  test("date-time layouts real files use, all UTC; invalid dates refused", () => {
    const at = Date.UTC(2024, 8, 18, 22);
    expect(parseDateTime("2024-09-18T22:00:00Z")).toBe(at);
    expect(parseDateTime("2024-09-18 22:00:00")).toBe(at);
    expect(parseDateTime("2024-09-18T23:30:00+01:30")).toBe(at);
    expect(parseDateTime("2024-09-18T22:00:00.000Z")).toBe(at);
    expect(parseDateTime("9/18/24")).toBe(Date.UTC(2024, 8, 18));
    expect(parseDateTime("2024-02-31T00:00:00Z")).toBeNull();
    expect(parseDateTime("yesterday")).toBeNull();
  });
});

describe("AI row filter", () => {
  const isAi = compileFilter(focusSettings({}).filter);
  test("the category, or a listed service name (wildcards, any case)", () => {
    expect(isAi({ ServiceCategory: "AI and Machine Learning", ServiceName: "Anything" })).toBe(true);
    expect(isAi({ ServiceCategory: "Other", ServiceName: "Claude 3.5 Sonnet (Amazon Bedrock Edition)" })).toBe(true);
    expect(isAi({ ServiceCategory: "NULL", ServiceName: "vertex ai" })).toBe(true);
    expect(isAi({ ServiceCategory: "Compute", ServiceName: "Amazon Elastic Compute Cloud" })).toBe(false);
  });
});

describe("mapping a row", () => {
  const settings = focusSettings({});
  const row = (over: Record<string, string> = {}) => ({
    ServiceCategory: "AI and Machine Learning", ServiceName: "Amazon Bedrock", ChargePeriodStart: "2026-10-01T00:00:00Z", ChargePeriodEnd: "2026-10-01T01:00:00Z",
    BillingCurrency: "USD", EffectiveCost: "1.5", BilledCost: "2", ResourceId: "r1", Tags: '{"agent":"bot","prod":true}', ConsumedQuantity: "3", ConsumedUnit: "1M Output Tokens", ...over,
  });
  const map = (r: Record<string, string>) => mapRecord(r, settings, compileFilter(settings.filter), mappingSources(settings));

  test("agent from the tag, EffectiveCost by default, output tokens scaled by the unit", () => {
    const result = map(row());
    if (result.kind !== "charge") throw new Error(JSON.stringify(result));
    expect(result.charge).toMatchObject({ agentKey: "bot", cost: new Decimal("1.5"), outputTokens: 3_000_000n, inputTokens: 0n, type: "cloud.usage" });
  });

  test("identical rows share an identity; any identifying column or the cost changes it", () => {
    const id = (r: Record<string, string>) => (map(r) as { charge: { identity: string } }).charge.identity;
    expect(id(row())).toBe(id(row()));
    expect(id(row({ SkuId: "x" }))).not.toBe(id(row()));
    expect(id(row({ EffectiveCost: "1.6" }))).not.toBe(id(row()));
    expect(id(row({ Tags: '{"agent":"other"}' }))).not.toBe(id(row()));
  });

  test("bad cells are named", () => {
    expect(map(row({ EffectiveCost: "1,5" }))).toEqual({ kind: "error", error: "EffectiveCost: '1,5' is not a number" });
    expect(map(row({ Tags: "[1]" }))).toEqual({ kind: "error", error: "Tags: not a JSON object" });
    expect(map(row({ ChargePeriodEnd: "2026-09-30T00:00:00Z" }))).toEqual({ kind: "error", error: "ChargePeriodEnd: before ChargePeriodStart" });
  });
});

describe("spreading", () => {
  test("the local days a period touches (DST week in New York)", () => {
    const days = spreadDays(Date.UTC(2026, 10, 1, 0), Date.UTC(2026, 10, 3, 0), "America/New_York");
    expect(days.map((d) => d.day)).toEqual(["2026-10-31", "2026-11-01", "2026-11-02"]);
    expect(days.map((d) => new Date(d.at).toISOString())).toEqual(["2026-11-01T00:00:00.000Z", "2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z"]);
  });

  test("parts sum exactly to the amount, differ by at most one unit, keep the sign", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 19n), max: 10n ** 19n }), fc.integer({ min: 1, max: 400 }), (units, n) => {
        const amount = new Decimal(units.toString()).times("1e-10");
        const parts = splitEvenly(amount, n, 10);
        expect(parts.reduce((s, p) => s.plus(p), new Decimal(0)).eq(amount)).toBe(true);
        const spread = parts.map((p) => p.abs()).reduce((a, p) => ({ min: Decimal.min(a.min, p), max: Decimal.max(a.max, p) }), { min: parts[0]!.abs(), max: parts[0]!.abs() });
        expect(spread.max.minus(spread.min).lte("1e-10")).toBe(true);
        if (!amount.isZero()) expect(parts.every((p) => p.isZero() || p.isNegative() === amount.isNegative())).toBe(true);
      }),
    );
  });
});
