// Allocation in a display currency vs an independent decimal.js computation from raw events and the stored rates:
// JPY (0 decimals) and KWD (3) over an open month whose rates change every day and jump mid-month, with four days
// that have no usable rate (reported, never converted); a closed month converted at its last day's rate; an
// adjustment for the closed month converted at that rate too; Σ departments + unallocated = total in every case;
// the chargeback CSV and the showback statement carry both amounts and the rate dates.
import Decimal from "decimal.js";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { putFxRates } from "@/lib/currency/admin";
import { pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import ExcelJS from "exceljs";
import { chargebackCsv, chargebackPdf, chargebackRows, chargebackXlsx } from "./chargeback";
import { closeMonth } from "./close";
import { allocationReport, departmentStatement } from "./report";
import { createRule } from "./rule-admin";
import { allocationResponse, statementResponse, type AllocationResponse } from "./schemas";
import { statementCsv, statementPdf } from "./showback";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const DEC_15 = new Date("2026-12-15T12:00:00Z");
const Wide = Decimal.clone({ precision: 100 });
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const daysFrom = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY) out.push(day(t));
  return out;
};
const ALL_DAYS = daysFrom("2026-10-01", "2026-11-30");
/** No EUR→USD rate 11-10…11-20: 11-09's serves until 11-16 (7 days), so 11-17…11-20 have no rate. */
const MISSING = ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"];
const USD_GAP = daysFrom("2026-11-10", "2026-11-20");
const RATES = [
  ...ALL_DAYS.filter((d) => !USD_GAP.includes(d)).map((date, i) => ({ base: "EUR", quote: "USD", date, rate: new Decimal("1.0500").plus((i % 7) / 1000).toFixed() })),
  // JPY jumps on 11-16 (mid-month), besides the daily USD leg moving.
  ...ALL_DAYS.map((date, i) => ({ base: "EUR", quote: "JPY", date, rate: new Decimal(date >= "2026-11-16" ? "165.02" : "161.37").plus((i % 5) / 7).toFixed(6) })),
  ...ALL_DAYS.map((date, i) => ({ base: "EUR", quote: "KWD", date, rate: new Decimal("0.32351").plus((i % 3) / 10_000).toFixed() })),
  // GBP from November only: closed October has no GBP rate on its last day.
  ...daysFrom("2026-11-01", "2026-11-30").map((date) => ({ base: "EUR", quote: "GBP", date, rate: "0.83215" })),
];

/** The rule, independently: USD→C = EUR→C ÷ EUR→USD, each leg the latest within 7 days; null when a leg is missing. */
function rate(quote: string, d: string): Decimal | null {
  const oldest = day(Date.parse(`${d}T00:00:00Z`) - 7 * DAY);
  const leg = (q: string) => RATES.filter((r) => r.quote === q && r.date >= oldest && r.date <= d).sort((a, b) => (a.date < b.date ? 1 : -1))[0];
  const usd = leg("USD");
  const other = leg(quote);
  return usd && other ? new Wide(other.rate).div(usd.rate) : null;
}

const ids: Record<string, number> = {};
const agents: Record<string, number> = {};
let n = 0;
async function event(at: string, agent: string, dept: string | null, cost: string) {
  await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', $1, $2, 'agent.action', $3, $4, $5)", [
    `e${n++}`, at, agents[agent], dept === null ? null : ids[dept], cost,
  ]);
}

/** Raw cost per UTC day (the organization's time zone) and agent, straight from usage_events. */
async function raw(): Promise<{ day: string; agent: string; cost: Decimal }[]> {
  const { rows } = await pool.query<{ day: string; agent: string; cost: string }>(
    `SELECT to_char(e.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, a.key AS agent, sum(e.cost)::text AS cost
     FROM usage_events e JOIN agents a ON a.id = e.agent_id GROUP BY 1, 2`,
  );
  return rows.map((r) => ({ ...r, cost: new Wide(r.cost) }));
}

/**
 * Each department's exact amount of a month in `quote` (null: the organization currency), independently: direct
 * agents to their department, the shared pool split evenly over ENG, OPS and SALES, orphan unallocated, each day's cost
 * × that day's rate, days without a rate left out (and summed apart in the organization currency).
 */
async function expected(month: string, quote: string | null) {
  const exact: Record<string, Decimal> = { ENG: new Wide(0), OPS: new Wide(0), SALES: new Wide(0), unallocated: new Wide(0) };
  let unconverted = new Wide(0);
  for (const r of (await raw()).filter((x) => x.day.startsWith(month))) {
    const fx = quote ? rate(quote, r.day) : new Wide(1);
    if (!fx) {
      unconverted = unconverted.plus(r.cost);
      continue;
    }
    const v = r.cost.times(fx);
    if (r.agent === "pool") for (const d of ["ENG", "OPS", "SALES"]) exact[d] = exact[d]!.plus(v.div(3));
    else exact[{ eng: "ENG", solo: "SALES", orphan: "unallocated" }[r.agent]!] = exact[{ eng: "ENG", solo: "SALES", orphan: "unallocated" }[r.agent]!]!.plus(v);
  }
  return { exact, unconverted };
}

const round = (v: Decimal, places: number) => v.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);

/** Σ departments + unallocated = total, to the display currency's minor unit. */
function conserved(r: AllocationResponse, places: number) {
  const sum = r.departments.reduce((acc, d) => acc.plus(d.total), new Decimal(r.unallocated!));
  expect(sum.toFixed(places)).toBe(r.total);
  for (const d of r.departments) expect(d.total).toMatch(places === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${places}}$`));
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  for (const code of ["ENG", "OPS", "SALES"]) {
    ids[code] = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ($1, $1, 500, now()) RETURNING id", [code])).rows[0]!.id;
  }
  for (const [key, dept, shared] of [["eng", "ENG", false], ["solo", "SALES", false], ["pool", "OPS", true], ["orphan", null, false]] as const) {
    agents[key] = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, shared, updated_at) VALUES ($1, $1, $2, $3, now()) RETURNING id", [key, dept && ids[dept], shared])).rows[0]!.id;
  }
  await createRule(admin, { agent: "pool", method: "even", effectiveFrom: "2026-10-01", shares: [{ department: "ENG" }, { department: "OPS" }, { department: "SALES" }] });
  // Every day of October and November: four agents, uneven sub-cent amounts.
  let i = 0;
  for (const d of ALL_DAYS) {
    for (const [agent, dept] of [["eng", "ENG"], ["solo", "SALES"], ["pool", "OPS"], ["orphan", null]] as const) {
      await event(`${d}T${String(3 + (i % 19)).padStart(2, "0")}:17:00Z`, agent, dept, new Decimal((i * 7919) % 100_000).div(3_000).toFixed(6));
      i++;
    }
  }
  await rebuildRollups(pool);
  await putFxRates(admin, { rates: RATES.map((r) => ({ ...r, source: "ecb" as const })) });
  await closeMonth(admin, "2026-10", DEC_15);
  // A late event in closed October: November carries it as an adjustment.
  await event("2026-10-20T10:00:00Z", "eng", "ENG", "5.123456");
  await rebuildRollups(pool);
});

const report = async (period: string, currency?: string) => allocationResponse.parse(await allocationReport(admin, period, DEC_15, currency));

describe("allocation in a display currency", () => {
  test.each([["JPY", 0], ["KWD", 3]] as const)("an open month in %s: each day at its rate, days without one reported, adjustments at the closed month's last-day rate", async (currency, places) => {
    const r = await report("2026-11", currency);
    const org = await report("2026-11");
    conserved(r, places);
    const { exact, unconverted } = await expected("2026-11", currency);
    const unit = new Decimal(10).pow(-places);
    const octoberEnd = rate(currency, "2026-10-31")!;
    for (const d of r.departments) {
      const orgRow = org.departments.find((o) => o.code === d.code)!;
      // The adjustments (ENG's late October event, and any cent it moved between departments in October) each
      // converted at 10-31's rate and rounded once on its own.
      const orgLines = (await departmentStatement(admin, d.code, "2026-11", DEC_15)).lines.filter((l) => l.kind === "adjustment");
      expect(d.adjustments).toBe(orgLines.reduce((a, l) => a.plus(round(new Wide(l.amount).times(octoberEnd), places)), new Decimal(0)).toFixed(places));
      // Direct and allocated are each apportioned (largest remainder): within one unit of the exact amount each.
      expect(new Decimal(d.total).minus(d.adjustments).minus(exact[d.code]!).abs().lessThan(unit.times(2))).toBe(true);
      expect(d).toMatchObject({ orgTotal: orgRow.total, budget: orgRow.budget, budgetUsed: orgRow.budgetUsed, forecast: orgRow.forecast });
    }
    expect(new Decimal(r.unallocated!).minus(exact.unallocated!).abs().lessThan(unit)).toBe(true);
    // The month's own total is the exact sum rounded once.
    const own = Object.values(exact).reduce((a, b) => a.plus(b), new Wide(0));
    const adjustments = r.departments.reduce((a, d) => a.plus(d.adjustments), new Decimal(0));
    expect(new Decimal(r.total).minus(adjustments).toFixed(places)).toBe(round(own, places).toFixed(places));
    expect(r).toMatchObject({ currency, orgCurrency: "USD", forecast: org.forecast });
    expect(r.conversion).toMatchObject({
      rule: "daily",
      missingDays: MISSING,
      rateDates: { first: "2026-11-01", last: "2026-11-30" },
      orgTotal: org.total,
      orgUnallocated: org.unallocated,
      unconverted: round(unconverted, 2).toFixed(2),
      adjustments: [{ adjusts: "2026-10", rateDate: "2026-10-31" }],
    });
    expect(new Decimal(r.conversion!.unconverted).isZero()).toBe(false);
    // Each department's unconverted share: the same split of the missing days, in USD.
    const rows = (await raw()).filter((x) => MISSING.includes(x.day));
    const of = (agent: string) => rows.filter((x) => x.agent === agent).reduce((a, x) => a.plus(x.cost), new Wide(0));
    const missing: Record<string, Decimal> = { ENG: of("eng").plus(of("pool").div(3)), SALES: of("solo").plus(of("pool").div(3)), OPS: of("pool").div(3) };
    for (const d of r.departments) expect(new Decimal(d.unconverted!).minus(missing[d.code]!).abs().lessThan("0.02")).toBe(true);
  });

  test("a closed month: the frozen USD lines at the rate of its last day, re-rounded so Σ = total", async () => {
    const org = await report("2026-10");
    expect(org.closed).not.toBeNull();
    for (const [currency, places] of [["JPY", 0], ["KWD", 3]] as const) {
      const r = await report("2026-10", currency);
      conserved(r, places);
      const fx = rate(currency, "2026-10-31")!;
      const unit = new Decimal(10).pow(-places);
      expect(r.total).toBe(round(new Wide(org.total).times(fx), places).toFixed(places));
      for (const d of r.departments) {
        const o = org.departments.find((x) => x.code === d.code)!;
        expect(new Decimal(d.total).minus(new Wide(o.total).times(fx)).abs().lessThan(unit.times(2))).toBe(true);
        expect(d.orgTotal).toBe(o.total);
      }
      expect(r.conversion).toMatchObject({ rule: "month_end", missingDays: [], rateDates: { first: "2026-10-31", last: "2026-10-31" }, orgTotal: org.total, unconverted: "0.00" });
    }
    // Closed and frozen: the late October event is not in it, in any currency.
    const { exact } = await expected("2026-10", null);
    expect(new Decimal(org.total).equals(round(Object.values(exact).reduce((a, b) => a.plus(b), new Wide(0)), 2))).toBe(false);
  });

  test("refused: a closed month without a rate on its last day, a currency without rates (400 naming currency)", async () => {
    await expect(report("2026-10", "GBP")).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ path: "currency", message: expect.stringContaining("2026-10-31") })] });
    await expect(report("2026-11", "CHF")).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ path: "currency" })] });
    // GBP has rates for all of November, except where the USD leg is missing.
    expect((await report("2026-11", "GBP")).conversion?.missingDays).toEqual(MISSING);
  });

  test("the chargeback CSV and the showback statement carry both amounts, the rule, the rate dates and the missing days", async () => {
    const r = await report("2026-11", "KWD");
    const c = await chargebackRows(admin, "2026-11", "KWD");
    const csv = parse(chargebackCsv(c), { columns: true }) as Record<string, string>[];
    // The XLSX has the same rows: amounts as numbers with KWD's 3 decimals, org-currency columns with 2.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await chargebackXlsx(c)) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const last = (sheet.getRow(sheet.rowCount).values as unknown[]).slice(1);
    expect(last[header.indexOf("total")]).toBe(Number(r.total));
    expect(sheet.getColumn(header.indexOf("total") + 1).numFmt).toBe("#,##0.000");
    expect(sheet.getColumn(header.indexOf("org_total") + 1).numFmt).toBe("#,##0.00");
    expect((await chargebackPdf(c, "T")).subarray(0, 5).toString()).toBe("%PDF-");
    const departments = csv.filter((row) => row.department_code);
    expect(departments.map((row) => [row.department_code, row.total, row.org_total, row.unconverted_org])).toEqual(r.departments.map((d) => [d.code, d.total, d.orgTotal, d.unconverted]));
    const total = csv.find((row) => row.department_name === "Total")!;
    const unallocated = csv.find((row) => row.department_name === "Unallocated")!;
    expect(departments.reduce((a, row) => a.plus(row.total!), new Decimal(unallocated.total!)).toFixed(3)).toBe(total.total);
    expect(total).toMatchObject({ total: r.total, currency: "KWD", org_total: r.conversion!.orgTotal, org_currency: "USD", rate_rule: "daily", missing_rate_days: MISSING.join(" ") });
    expect(departments.find((row) => row.department_code === "ENG")).toMatchObject({ rate_dates: "2026-11-01..2026-11-30; adjustments: 2026-10 at 2026-10-31", budget_org: "500.00" });
    const eng = departments.find((row) => row.department_code === "ENG")!;
    expect(eng.variance_org).toBe(new Decimal("500").minus(eng.org_total!).toFixed(2));

    const s = statementResponse.parse(await departmentStatement(admin, "ENG", "2026-11", DEC_15, "JPY"));
    expect(s.lines.reduce((a, l) => a.plus(l.amount), new Decimal(0)).toFixed(0)).toBe(s.department.total);
    expect(s.conversion).toMatchObject({ rule: "daily", missingDays: MISSING, orgTotal: s.department.orgTotal, unconverted: s.department.unconverted });
    expect((await statementPdf(s)).subarray(0, 5).toString()).toBe("%PDF-");
    const lines = parse(statementCsv(s), { columns: true }) as Record<string, string>[];
    expect(lines.find((l) => l.kind === "unconverted")).toMatchObject({ org_amount: s.department.unconverted, org_currency: "USD", rate_dates: "no rate" });
    expect(lines.find((l) => l.kind === "adjustment")).toMatchObject({ currency: "JPY", rate_dates: "2026-11-01..2026-11-30; adjustments: 2026-10 at 2026-10-31" });
    expect(lines.filter((l) => l.kind === "direct").every((l) => l.org_amount && l.amount)).toBe(true);
  });

  test("the organization currency is unchanged: no conversion, cents", async () => {
    const r = await report("2026-11", "USD");
    expect(r).toMatchObject({ currency: "USD", orgCurrency: null, conversion: null });
    conserved(r, 2);
    expect(r).toEqual(await report("2026-11"));
  });
});
