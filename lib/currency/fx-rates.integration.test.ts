// The FX rate table against real PostgreSQL: batch upserts (created / updated / unchanged, audited with the replaced
// values), file imports (preview writes nothing, apply writes all or nothing), keyset paging, and rateFor reading
// the stored rates (weekend gap, 7-day limit, inverse, cross through EUR).
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { pool } from "@/lib/db";
import { importFxFile, listFxRates, putFxRates } from "./admin";
import { convert, rateFor } from "./rates";
import { fxRateListQuery } from "./schemas";
import { ApiError } from "@/lib/api/errors";
import { roundToMinor } from "./iso4217";
import Decimal from "decimal.js";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const fixture = (name: string) => readFileSync(path.join(__dirname, "../../tests/fixtures/ecb", name), "utf8");
const count = async (sql = "SELECT count(*)::int AS n FROM fx_rates") => (await pool.query<{ n: number }>(sql)).rows[0]!.n;
const manual = (base: string, quote: string, date: string, rate: string) => ({ base, quote, date, rate, source: "manual" as const });

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
});

describe("PUT: batch upsert", () => {
  it("creates, replaces a different value, leaves the same value alone, and audits the replaced values", async () => {
    const first = await putFxRates(admin, { rates: [manual("USD", "JPY", "2026-11-02", "153.2"), manual("GBP", "KWD", "2026-11-02", "0.388125")] });
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0, changes: [] });
    const second = await putFxRates(admin, { rates: [manual("USD", "JPY", "2026-11-02", "153.4"), manual("GBP", "KWD", "2026-11-02", "0.3881250")] });
    expect(second).toMatchObject({ created: 0, updated: 1, unchanged: 1, changes: [{ base: "USD", quote: "JPY", date: "2026-11-02", rate: "153.4", previous: "153.2" }] });
    const { rows } = await pool.query("SELECT base, quote, date::text, rate::text, source, created_by FROM fx_rates ORDER BY base");
    expect(rows).toEqual([
      { base: "GBP", quote: "KWD", date: "2026-11-02", rate: "0.388125000000000", source: "manual", created_by: "admin@test" },
      { base: "USD", quote: "JPY", date: "2026-11-02", rate: "153.400000000000000", source: "manual", created_by: "admin@test" },
    ]);
    const audits = (await pool.query("SELECT action, entity, actor_id, before, after FROM audit_logs WHERE action = 'fx_rate.upsert' ORDER BY id")).rows;
    expect(audits).toHaveLength(2);
    expect(audits[1]).toMatchObject({
      actor_id: 1,
      before: [{ base: "USD", quote: "JPY", date: "2026-11-02", rate: "153.2" }],
      after: { created: 0, updated: 1, unchanged: 1, from: "2026-11-02", to: "2026-11-02", changes: [{ base: "USD", quote: "JPY", rate: "153.4" }] },
    });
  });
});

describe("file import", () => {
  it("previews an ECB history file without writing, then applies it; a second apply changes nothing", async () => {
    const before = await count();
    const preview = await importFxFile(admin, "ecb-csv", "preview", fixture("eurofxref-hist.csv"));
    expect(preview).toMatchObject({ mode: "preview", rates: 29 * 3 + 31, from: "2007-12-31", to: "2026-11-27", created: 118, updated: 0, unchanged: 0 });
    expect(preview.skippedCurrencies).toContain("CYP");
    expect(await count()).toBe(before);

    const applied = await importFxFile(admin, "ecb-csv", "apply", fixture("eurofxref-hist.csv"));
    expect(applied).toMatchObject({ mode: "apply", created: 118 });
    expect(await count("SELECT count(*)::int AS n FROM fx_rates WHERE source = 'ecb' AND base = 'EUR'")).toBe(118);
    // The XML of the same days holds the same values: nothing to change.
    expect(await importFxFile(admin, "ecb-xml", "apply", fixture("eurofxref-hist-90d.xml"))).toMatchObject({ created: 0, updated: 0, unchanged: 12 });
    const audit = (await pool.query("SELECT after FROM audit_logs WHERE action = 'fx_rate.import' ORDER BY id")).rows;
    expect(audit.map((a) => a.after.format)).toEqual(["ecb-csv", "ecb-xml"]);
  });

  it("a file with one bad cell writes nothing and names the cell", async () => {
    const before = await count();
    const error = await importFxFile(admin, "csv", "apply", "base,quote,date,rate\nEUR,CHF,2026-10-01,0.93\nEUR,CHF,2026-10-02,zero\n").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, details: [{ path: "line 3.rate" }] });
    expect(await count()).toBe(before);
  });
});

describe("a full-size ECB history", () => {
  it("imports 6,900 days × 30 currencies (synthetic days in 1950-1968) (many statements, one transaction); applying it again changes nothing", async () => {
    const quotes = ["USD", "JPY", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD", "THB", "ZAR", "BGN"];
    const lines = [`Date,${quotes.join(",")},`];
    for (let d = 0; d < 6900; d++) {
      const date = new Date(Date.UTC(1950, 0, 2 + d)).toISOString().slice(0, 10);
      lines.push(`${date},${quotes.map((_, i) => `${1 + i}.${String((d * 7 + i) % 10000).padStart(4, "0")}`).join(",")},`);
    }
    const text = lines.join("\n");
    const before = await count();
    const started = Date.now();
    expect(await importFxFile(admin, "ecb-csv", "apply", text)).toMatchObject({ rates: 207_000, created: 207_000 });
    const applied = Date.now() - started;
    expect(await count()).toBe(before + 207_000);
    expect(await importFxFile(admin, "ecb-csv", "preview", text)).toMatchObject({ created: 0, updated: 0, unchanged: 207_000 });
    console.log(`full-size ECB history: 207,000 rates applied in ${applied} ms`);
    await pool.query("DELETE FROM fx_rates WHERE date < '1990-01-01'"); // synthetic days (1950-1968) out of the way of the listing below
  }, 120_000);
});

describe("listing", () => {
  it("pages through the table in (date desc, base, quote) order without gaps or repeats, with filters", async () => {
    const all = await listFxRates(fxRateListQuery.parse({ limit: "500" }));
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listFxRates(fxRateListQuery.parse({ limit: "7", ...(cursor ? { cursor } : {}) }));
      seen.push(...page.items.map((r) => `${r.date} ${r.base} ${r.quote}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((r) => `${r.date} ${r.base} ${r.quote}`));
    expect(seen).toEqual([...seen].sort((a, b) => (a.slice(0, 10) === b.slice(0, 10) ? a.localeCompare(b) : b.localeCompare(a))));
    const usd = await listFxRates(fxRateListQuery.parse({ base: "eur", quote: "USD", from: "2026-11-26", to: "2026-11-27" }));
    expect(usd.items.map((r) => [r.date, r.rate])).toEqual([["2026-11-27", "1.0523"], ["2026-11-26", "1.0498"]]);
  });
});

describe("rateFor over stored rates", () => {
  it("uses Friday's ECB rate on the weekend, not beyond 7 days, and crosses through EUR", async () => {
    // 2026-11-28 is a Saturday.
    expect(await rateFor("EUR", "USD", "2026-11-28")).toMatchObject({ method: "direct", date: "2026-11-27", legs: [{ base: "EUR", quote: "USD", rate: "1.0523" }] });
    expect(await rateFor("EUR", "USD", "2026-12-04")).toMatchObject({ date: "2026-11-27" });
    expect(await rateFor("EUR", "USD", "2026-12-05")).toBeNull();
    const usdJpy = (await rateFor("USD", "JPY", "2026-11-28"))!;
    expect(usdJpy).toMatchObject({ method: "cross", date: "2026-11-27" });
    expect(usdJpy.legs.map((l) => [l.base, l.quote, l.inverted])).toEqual([["EUR", "USD", true], ["EUR", "JPY", false]]);
    const D40 = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
    expect(usdJpy.rate.toFixed()).toBe(new D40("161.23").div("1.0523").toFixed());
    expect(roundToMinor(convert("100", usdJpy), "JPY").toFixed()).toBe("15322");
    // The manual USD→JPY of 2026-11-02 is the direct pair for that day.
    expect(await rateFor("JPY", "USD", "2026-11-03")).toMatchObject({ method: "inverse", date: "2026-11-02" });
    expect(await rateFor("CHF", "CHF", "2026-01-01")).toMatchObject({ method: "identity", legs: [] });
    expect(await rateFor("CHF", "USD", "2026-10-01")).toBeNull();
  });
});
