// Usage in a display currency vs an independent decimal.js computation from raw events and the stored rates:
// per local day (Asia/Tokyo), a day without a rate left unconverted, JPY (0 decimals) and GBP (2 decimals).
import Decimal from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { usage } from "@/lib/analytics/usage";
import { overview } from "@/lib/analytics/overview";
import { agentDetail } from "@/lib/analytics/agent";
import { agentDetailResponse, agentQuery } from "@/lib/analytics/schemas";
import { overviewResponse } from "@/lib/analytics/overview-schemas";
import { daysOf, previousRange } from "@/lib/analytics/period";
import { exploreEvents } from "@/lib/analytics/events";
import { eventsQuery, eventsResponse, usageQuery, usageResponse, type UsageResponse } from "@/lib/analytics/schemas";
import { ApiError } from "@/lib/api/errors";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { ingest } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { putFxRates } from "./admin";
import { displayFx } from "./display";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const TOKYO = 9 * 3_600_000;
const DAY = 86_400_000;
const Wide = Decimal.clone({ precision: 100 });
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// EUR-based rates (as the ECB publishes): 11-01…11-05, then nothing until 11-14, so 11-13 has no rate (11-05 is 8
// days old) while 11-06…11-12 use the 11-05 rate; JPY misses 11-03, so that day crosses with 11-02's JPY leg.
const RATES = [
  ...["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-14", "2026-11-16"].map((date, i) => ({ base: "EUR", quote: "USD", date, rate: new Decimal("1.0523").plus(i / 1000).toFixed() })),
  ...["2026-11-01", "2026-11-02", "2026-11-04", "2026-11-05", "2026-11-14", "2026-11-16"].map((date, i) => ({ base: "EUR", quote: "JPY", date, rate: new Decimal("161.37").plus(i / 7).toFixed(6) })),
  ...["2026-11-01", "2026-11-05", "2026-11-14"].map((date, i) => ({ base: "EUR", quote: "GBP", date, rate: new Decimal("0.83215").plus(i / 100).toFixed() })),
];
const FROM = "2026-11-01";
const TO = "2026-11-17";

/** The rule, independently: USD→C = EUR→C ÷ EUR→USD, each leg the latest within 7 days (the older leg's date). */
function rate(quote: string, d: string): { value: Decimal; date: string } | null {
  const oldest = day(Date.parse(`${d}T00:00:00Z`) - 7 * DAY);
  const leg = (q: string) => RATES.filter((r) => r.quote === q && r.date >= oldest && r.date <= d).sort((a, b) => (a.date < b.date ? 1 : -1))[0];
  const usd = leg("USD");
  const other = leg(quote);
  if (!usd || !other) return null;
  return { value: new Wide(other.rate).div(usd.rate), date: usd.date < other.date ? usd.date : other.date };
}

/** Raw cost per local day (of one agent), straight from usage_events. */
async function rawDays(agent?: string): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ day: string; cost: string }>(
    `SELECT to_char((e.timestamp AT TIME ZONE 'Asia/Tokyo')::date, 'YYYY-MM-DD') AS day, sum(e.cost)::text AS cost
     FROM usage_events e JOIN agents a ON a.id = e.agent_id WHERE $1::text IS NULL OR a.key = $1 GROUP BY 1`,
    [agent ?? null],
  );
  return new Map(rows.map((r) => [r.day, r.cost]));
}

const round = (v: Decimal, places: number) => v.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);

async function get(params: Record<string, string>): Promise<UsageResponse> {
  const res = await usage(admin, await orgSettings(), usageQuery.parse({ from: FROM, to: TO, ...params }));
  return usageResponse.parse(res);
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "Asia/Tokyo" } });
  forgetOrgSettings();
  await db.user.create({ data: { id: 1, email: "admin@test", name: "Admin", role: "admin" } });
  await putFxRates(admin, { rates: RATES.map((r) => ({ ...r, source: "ecb" as const })) });
  // Events in USD (the organization currency) every 5 hours with uneven sub-cent amounts, across local midnights.
  const start = Date.parse(`${FROM}T00:00:00Z`) - TOKYO;
  const events = Array.from({ length: 80 }, (_, i) => ({
    id: `d-${i}`,
    timestamp: new Date(start + i * 5 * 3_600_000 + 60_000).toISOString(),
    agent: i % 3 ? "bot-a" : "bot-b",
    type: "llm.call",
    cost: { amount: new Decimal(i * 7919 % 100_000).div(3_000).toFixed(6), currency: "USD" },
  }));
  await ingest("display-test", events);
  // Sent in other currencies: GBP converted at ingestion, CHF (no rate) pending at cost 0.
  await ingest("display-test", [
    { id: "gbp-1", timestamp: "2026-11-10T03:00:00Z", agent: "fx-bot", type: "llm.call", cost: { amount: "12.5", currency: "GBP" } },
    { id: "chf-1", timestamp: "2026-11-10T04:00:00Z", agent: "fx-bot", type: "llm.call", cost: { amount: "3", currency: "CHF" } },
  ]);
});

afterAll(async () => {
  await db.$disconnect();
});

describe("usage in a display currency", () => {
  it.each([
    ["JPY", 0],
    ["GBP", 2],
  ])("converts each local day at its rate into %s, leaves a day without a rate unconverted", async (currency, places) => {
    const raw = await rawDays();
    const res = await get({ currency, granularity: "day" });
    expect(res.currency).toBe(currency);
    expect(res.orgCurrency).toBe("USD");
    let total = new Decimal(0);
    let unconverted = new Decimal(0);
    const points = res.series[0]!.points;
    for (const p of points) {
      const d = p.start.slice(0, 10);
      const cost = new Decimal(raw.get(d) ?? 0);
      const fx = rate(currency, d);
      const want = fx ? round(cost.times(fx.value), places) : new Decimal(0);
      expect({ d, cost: p.cost, org: p.orgCost, unconverted: p.unconverted }).toEqual({
        d,
        cost: want.toFixed(),
        org: cost.toFixed(),
        unconverted: fx ? "0" : cost.toFixed(),
      });
      total = total.plus(want);
      if (!fx) unconverted = unconverted.plus(cost);
    }
    expect(res.totals.cost).toBe(total.toFixed());
    expect(res.totals.unconverted).toBe(unconverted.toFixed());
    expect(res.conversion!.missingDays).toEqual(["2026-11-13"]);
    expect(new Decimal(res.totals.unconverted!).gt(0)).toBe(true);
    const dates = points.map((p) => rate(currency, p.start.slice(0, 10))?.date).filter((d) => d !== undefined).sort();
    expect(res.conversion!.rateDates).toEqual({ first: dates[0], last: dates.at(-1) });
    expect(res.conversion!.sources).toEqual(["ecb"]);
    for (const r of res.conversion!.rates) expect(r.date).toBe(rate(currency, r.day)!.date);
    expect(res.conversion!.rates.find((r) => r.day === "2026-11-12")!.date).toBe("2026-11-05");
  });

  it("sums a week's converted days, and an hour converts at its local day's rate", async () => {
    const raw = await rawDays();
    const week = await get({ currency: "JPY", granularity: "week" });
    const days = [...raw.keys()].filter((d) => d >= FROM && d <= TO);
    for (const [i, p] of week.series[0]!.points.entries()) {
      const next = week.series[0]!.points[i + 1]?.start.slice(0, 10) ?? "9999";
      const mine = days.filter((d) => d >= p.start.slice(0, 10) && d < next);
      const want = mine.reduce((s, d) => (rate("JPY", d) ? s.plus(new Decimal(raw.get(d)!).times(rate("JPY", d)!.value)) : s), new Decimal(0));
      expect(p.cost).toBe(round(want, 0).toFixed());
    }
    expect(week.conversion!.buckets.find((b) => b.missingDays.length)!.missingDays).toEqual(["2026-11-13"]);
    const weekTotal = week.series[0]!.points.reduce((s, p) => s.plus(p.cost), new Decimal(0));
    expect(week.totals.cost).toBe(weekTotal.toFixed());

    const hours = await usage(admin, await orgSettings(), usageQuery.parse({ from: "2026-11-12", to: "2026-11-13", currency: "JPY", granularity: "hour" }));
    const fx = rate("JPY", "2026-11-12")!;
    const hourly = hours.series[0]!.points.filter((p) => p.start.startsWith("2026-11-12") && p.events > 0);
    expect(hourly.length).toBeGreaterThan(0);
    for (const p of hourly) expect(p.cost).toBe(round(new Decimal(p.orgCost!).times(fx.value), 0).toFixed());
    for (const p of hours.series[0]!.points.filter((p) => p.start.startsWith("2026-11-13"))) expect(p.cost).toBe("0");
    expect(hours.conversion!.missingDays).toEqual(["2026-11-13"]);
  });

  it("defaults to the organization currency and refuses a currency without rates", async () => {
    const plain = await get({});
    expect(plain.currency).toBe("USD");
    expect(plain.conversion).toBeNull();
    expect(plain.totals.orgCost).toBeUndefined();
    expect(plain.totals.cost).toBe([...(await rawDays()).values()].reduce((s, c) => s.plus(c), new Decimal(0)).toFixed());
    await expect(get({ currency: "CHF" })).rejects.toSatisfy((e) => e instanceof ApiError && e.status === 400 && e.details?.[0]?.path === "currency");
    expect(() => usageQuery.parse({ currency: "usd" })).toThrow();
  });
});

describe("overview in a display currency", () => {
  // 11-09…11-17: the USD/JPY legs change on 11-14 and 11-16, 11-13 has no rate; the previous period (10-31…11-08)
  // has rates from 11-01 on and none for 10-31.
  const range = { from: "2026-11-09", to: "2026-11-17" };
  const previous = previousRange(range);
  const converted = (raw: Map<string, string>, days: string[], places: number) =>
    days.map((d) => {
      const fx = rate("JPY", d);
      const cost = new Decimal(raw.get(d) ?? 0);
      return { d, cost: fx ? round(cost.times(fx.value), places) : new Decimal(0), unconverted: fx ? new Decimal(0) : cost, date: fx?.date ?? null };
    });
  const total = (xs: { cost: Decimal }[]) => xs.reduce((s, x) => s.plus(x.cost), new Decimal(0)).toFixed();

  it("converts each day at its own rate, totals the rounded days, ranks and moves in JPY, forecast in USD", async () => {
    const fx = await displayFx("USD", "JPY", [...daysOf(previous), ...daysOf(range)]);
    const res = overviewResponse.parse({ currency: "JPY", timeZone: "Asia/Tokyo", ...(await overview(admin, range, "2026-11-17", fx)) });
    const plain = await overview(admin, range, "2026-11-17");
    const raw = await rawDays();
    const days = converted(raw, daysOf(range), 0);
    const n = (v: string | undefined) => new Decimal(v!).toFixed();
    expect(res.daily.map((d) => ({ d: d.day, cost: d.cost, org: n(d.orgCost), rateDate: d.rateDate }))).toEqual(
      days.map((x) => ({ d: x.d, cost: x.cost.toFixed(), org: new Decimal(raw.get(x.d) ?? 0).toFixed(), rateDate: x.date })),
    );
    expect(res.daily.find((d) => d.day === "2026-11-13")).toMatchObject({ cost: "0", rateDate: null });
    expect(new Decimal(res.daily.find((d) => d.day === "2026-11-13")!.unconverted!).gt(0)).toBe(true);
    expect(res.current.cost).toBe(total(days));
    expect(res.current.unconverted).toBe(days.reduce((s, x) => s.plus(x.unconverted), new Decimal(0)).toFixed());
    expect(n(res.current.orgCost)).toBe(n(plain.current.cost));
    expect(res.current.events).toBe(plain.current.events);
    const prior = converted(raw, daysOf(previous), 0);
    expect(res.prior.cost).toBe(total(prior));
    expect(res.conversion!.missingDays).toEqual(["2026-11-13"]);
    expect(res.conversion!.rateDates).toEqual({ first: "2026-11-05", last: "2026-11-16" });
    // A ranked row: the agent's days each at their rate, rounded once over the range.
    for (const a of res.topAgents) {
      const mine = await rawDays(a.key);
      const want = daysOf(range).reduce((s, d) => (rate("JPY", d) ? s.plus(new Decimal(mine.get(d) ?? 0).times(rate("JPY", d)!.value)) : s), new Decimal(0));
      expect({ agent: a.key, cost: a.cost, org: n(a.orgCost) }).toEqual({ agent: a.key, cost: round(want, 0).toFixed(), org: n(plain.topAgents.find((p) => p.key === a.key)!.cost) });
    }
    for (const m of res.movers) expect(m.change).toBe(new Decimal(m.cost).minus(m.previousCost).toFixed());
    expect(res.forecast).toEqual(plain.forecast);
    expect(plain.conversion).toBeNull();
  });

  it("refuses a currency without rates with a 400 naming currency", async () => {
    await expect(displayFx("USD", "CHF", daysOf(range))).rejects.toSatisfy((e) => e instanceof ApiError && e.status === 400 && e.details?.[0]?.path === "currency");
    expect(await displayFx("USD", "USD", daysOf(range))).toBeNull();
  });
});

describe("agent page in a display currency", () => {
  it("converts each day of bot-a at its rate (days and weeks), rows rounded once, totals the sum of buckets", async () => {
    const raw = await rawDays("bot-a");
    const at = (d: string) => (rate("GBP", d) ? new Decimal(raw.get(d) ?? 0).times(rate("GBP", d)!.value) : new Decimal(0));
    const daily = agentDetailResponse.parse(await agentDetail(admin, await orgSettings(), "bot-a", agentQuery.parse({ from: FROM, to: TO, currency: "GBP" })));
    expect(daily.currency).toBe("GBP");
    for (const p of daily.series) {
      const d = p.start.slice(0, 10);
      expect({ d, cost: p.cost, rateDates: p.rateDates }).toEqual({ d, cost: round(at(d), 2).toFixed(), rateDates: rate("GBP", d) ? { first: rate("GBP", d)!.date, last: rate("GBP", d)!.date } : null });
    }
    expect(daily.totals.cost).toBe(daily.series.reduce((s, p) => s.plus(p.cost), new Decimal(0)).toFixed());
    expect(daily.totals.unconverted).toBe(new Decimal(raw.get("2026-11-13") ?? 0).toFixed());
    expect(daily.conversion!.missingDays).toEqual(["2026-11-13"]);
    const all = [...raw.keys()].filter((d) => d >= FROM && d <= TO).reduce((s, d) => s.plus(at(d)), new Decimal(0));
    expect(daily.departments.reduce((s, d) => s.plus(d.cost), new Decimal(0)).toFixed()).toBe(round(all, 2).toFixed());
    const weekly = await agentDetail(admin, await orgSettings(), "bot-a", agentQuery.parse({ from: FROM, to: TO, currency: "GBP", granularity: "week" }));
    for (const [i, p] of weekly.series.entries()) {
      const next = weekly.series[i + 1]?.start.slice(0, 10) ?? "9999";
      const mine = [...raw.keys()].filter((d) => d >= FROM && d <= TO && d >= p.start.slice(0, 10) && d < next);
      expect(p.cost).toBe(round(mine.reduce((s, d) => s.plus(at(d)), new Decimal(0)), 2).toFixed());
    }
  });
});

describe("events explorer in other currencies", () => {
  it("lists the original amount, currency and rate beside the cost, and marks a pending event", async () => {
    const res = eventsResponse.parse(await exploreEvents(admin, await orgSettings(), eventsQuery.parse({ from: FROM, to: TO, agent: "fx-bot" })));
    const byKey = new Map(res.events.map((e) => [e.key, e]));
    // 1 GBP = EUR→USD ÷ EUR→GBP on the day (local 2026-11-10: USD and GBP legs of 11-05).
    const gbp = rate("GBP", "2026-11-10")!;
    const perGbp = new Wide(1).div(gbp.value);
    expect(byKey.get("gbp-1")).toMatchObject({ originalCost: "12.5", originalCurrency: "GBP", fxRateDate: gbp.date, fxPending: false, cost: round(new Wide("12.5").times(perGbp), 10).toFixed() });
    expect(new Decimal(byKey.get("gbp-1")!.fxRate!).minus(perGbp).abs().lt("1e-30")).toBe(true);
    expect(byKey.get("chf-1")).toMatchObject({ originalCost: "3", originalCurrency: "CHF", fxRate: null, fxRateDate: null, fxPending: true, cost: "0.0000000000" });
    expect(res.events.every((e) => e.agent === "fx-bot")).toBe(true);
  });
});
