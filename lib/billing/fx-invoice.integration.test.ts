// Invoices in the customer's billing currency against real PostgreSQL: usage costs held in other currencies are valued
// straight from their original currency (through EUR), by the customer's rule, each line rounded once to the
// currency's ISO minor unit, totals the sums of lines; missing rates block finalizing. Expected figures are computed
// here independently with decimal.js from the events and rates the test wrote.
import Decimal from "decimal.js";
import fc from "fast-check";
import { PDFParse } from "pdf-parse";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { invoiceCsv } from "./exports";
import { generateDrafts } from "./generate";
import { finalizeInvoice } from "./lifecycle";
import { invoicePdf } from "./pdf";
import { getInvoice } from "./queries";
import { testIssuer } from "./test-fixtures";

const finance: UserCaller = { kind: "user", id: 1, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };
const Wide = Decimal.clone({ precision: 100 });
const DIGITS: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, JPY: 0, KWD: 3, BHD: 3, CHF: 2, NOK: 2 };
const round = (d: Decimal, currency: string) => d.toDecimalPlaces(DIGITS[currency]!, Decimal.ROUND_HALF_EVEN);

// EUR-based rates (1 EUR = r X) on October 2026's weekdays; NOK stops on Oct 9, so later NOK days have no rate.
type Rate = { quote: string; date: string; rate: string };
const RATES: Rate[] = [];
const QUOTES = ["USD", "GBP", "JPY", "KWD", "BHD", "CHF", "NOK"];
for (let d = 1; d <= 31; d++) {
  const date = `2026-10-${String(d).padStart(2, "0")}`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) continue;
  QUOTES.forEach((q, i) => {
    if (q === "NOK" && d > 9) return;
    const base = [1.0831, 0.86417, 161.23, 0.33189, 0.40802, 0.94115, 11.6725][i]!;
    RATES.push({ quote: q, date, rate: (base * (1 + ((d * (i + 3)) % 17) / 1000)).toFixed(6 - Math.floor(Math.log10(base))) });
  });
}

/** 1 from = ? to on `day`: EUR legs, each the latest within 7 days; null when a leg is missing. The rule, independently. */
function rate(from: string, to: string, day: string): Decimal | null {
  const oldest = new Date(Date.parse(`${day}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
  const leg = (q: string) => (q === "EUR" ? "1" : RATES.filter((r) => r.quote === q && r.date >= oldest && r.date <= day).sort((a, b) => (a.date < b.date ? 1 : -1))[0]?.rate);
  const [f, t] = [leg(from), leg(to)];
  if (from === to) return new Wide(1);
  return f && t ? new Wide(t).div(f) : null;
}

let meters: { actions: number; llm: number };
let seq = 0;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "America/New_York", currency: "USD" } });
  forgetOrgSettings();
  await db.fxRate.createMany({ data: RATES.map((r) => ({ base: "EUR", quote: r.quote, date: new Date(`${r.date}T00:00:00Z`), rate: r.rate, source: "manual", createdBy: "test" })) });
  const actions = await db.meter.create({ data: { key: "fx_actions", name: "Actions", eventType: "agent.action", aggregation: "sum_quantity", unit: "action" } });
  const llm = await db.meter.create({ data: { key: "fx_llm", name: "LLM cost", eventType: "llm.call", aggregation: "sum_property", property: "cost", unit: "cost" } });
  meters = { actions: actions.id, llm: llm.id };
});

async function customerOn(currency: string, billingCurrency: string | null, fxRule: string, unitPrice = "0.0375") {
  const key = `fx${++seq}`;
  const plan = await db.pricePlan.create({
    data: {
      key: `${key}-plan`,
      name: `Plan in ${currency}`,
      currency,
      effectiveFrom: new Date("2020-01-01T00:00:00Z"),
      charges: { create: [{ meterId: meters.actions, model: "per_unit", unitPrice }, { meterId: meters.llm, model: "markup", markupPercent: "20" }] },
    },
  });
  return db.customer.create({ data: { key, name: key, billingCurrency, fxRule, plans: { create: { planId: plan.id, effectiveFrom: new Date("2020-01-01T00:00:00Z") } } } });
}

type Ev = { day: number; hour: number; currency: string; amount: string };

/** llm.call events; a cost in another currency than the organization's (USD) is stored as ingestion does: original amount + currency, cost converted. */
async function insertCosts(customerId: number, events: Ev[], actions = "0") {
  const rows = events.map((e, i) => {
    const foreign = e.currency !== "USD";
    return Prisma.sql`(${"fx-test"}, ${`c${customerId}-${i}`}, ${new Date(Date.UTC(2026, 9, e.day, e.hour))}, 'llm.call', 1, ${customerId}, 1,
      ${foreign ? "0" : e.amount}::numeric, ${foreign ? e.amount : null}::numeric, ${foreign ? e.currency : null}, ${foreign})`;
  });
  rows.push(Prisma.sql`(${"fx-test"}, ${`a${customerId}`}, ${new Date(Date.UTC(2026, 9, 15, 12))}, 'agent.action', 1, ${customerId}, ${actions}::numeric, 0, NULL, NULL, false)`);
  // Foreign costs are left pending (cost 0) on purpose: billing must value them from the original amount anyway.
  await db.$executeRaw`INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, customer_id, quantity, cost, original_cost, original_currency, fx_pending) VALUES ${Prisma.join(rows)}`;
}

async function draftFor(customerId: number) {
  await generateDrafts("2026-10", finance, [customerId]);
  const inv = await db.invoice.findFirstOrThrow({ where: { customerId, period: "2026-10", status: "draft" } });
  return getInvoice(finance, inv.id);
}

describe("invoices in the customer's billing currency", () => {
  it("bills GBP for usage priced in USD and EUR, at the period's last-day rate, reconciled to the penny", async () => {
    const customer = await customerOn("GBP", "GBP", "period_end", "0.03");
    const events: Ev[] = [
      { day: 2, hour: 15, currency: "USD", amount: "10.123456" },
      { day: 14, hour: 15, currency: "USD", amount: "0.0004125" },
      { day: 9, hour: 15, currency: "EUR", amount: "7.5" },
      { day: 30, hour: 20, currency: "EUR", amount: "123.456789" },
    ];
    await insertCosts(customer.id, events, "1234");
    const invoice = await draftFor(customer.id);

    // Oct 31 2026 is a Saturday: the last-day rule uses Friday Oct 30's rates.
    const usd = rate("USD", "GBP", "2026-10-31")!;
    const eur = rate("EUR", "GBP", "2026-10-31")!;
    const cost = new Wide("10.123456").plus("0.0004125").times(usd).plus(new Wide("7.5").plus("123.456789").times(eur));
    const llm = round(cost.times("1.2"), "GBP");
    const actions = round(new Wide("1234").times("0.03"), "GBP");
    const byMeter = Object.fromEntries(invoice.lines.map((l) => [l.meter?.key, l]));
    expect(invoice.currency).toBe("GBP");
    expect(byMeter.fx_llm?.amount).toBe(llm.toFixed(2));
    expect(byMeter.fx_actions?.amount).toBe(actions.toFixed(2));
    expect(invoice.total).toBe(llm.plus(actions).toFixed(2));
    expect(invoice.lines.reduce((s, l) => s.plus(l.amount), new Wide(0)).toFixed(2)).toBe(invoice.total);
    expect(invoice.fx).toEqual({
      rule: "period_end",
      rates: [
        { from: "EUR", to: "GBP", day: "2026-10-31", date: "2026-10-30", method: "direct", rate: expect.any(String) },
        { from: "USD", to: "GBP", day: "2026-10-31", date: "2026-10-30", method: "cross", rate: expect.any(String) },
      ],
      missing: [],
    });
    expect(new Wide(invoice.fx!.rates[1]!.rate).toSignificantDigits(30).eq(usd.toSignificantDigits(30))).toBe(true);

    const parser = new PDFParse({ data: new Uint8Array(await invoicePdf(invoice, testIssuer("Seller"))) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    expect(text).toContain(`1 EUR = ${invoice.fx!.rates[0]!.rate} GBP (direct rate dated 2026-10-30 for 2026-10-31)`);
    expect(text).toContain(`1 USD = ${invoice.fx!.rates[1]!.rate} GBP`);

    const csv = invoiceCsv(invoice).split(/\r?\n/);
    expect(csv.find((l) => l.includes(",fx_rate,") && l.includes("1 USD in GBP: cross rate dated 2026-10-30 for 2026-10-31"))).toContain(invoice.fx!.rates[1]!.rate);

    await finalizeInvoice(invoice.id, finance);
  });

  it("refuses to finalize while a rate is missing, naming currency and date, and finalizes once it is stored", async () => {
    const customer = await customerOn("GBP", "GBP", "event_day");
    await insertCosts(customer.id, [{ day: 20, hour: 15, currency: "NOK", amount: "100" }, { day: 5, hour: 15, currency: "NOK", amount: "50" }]);
    const draft = await draftFor(customer.id);
    expect(draft.fx!.missing).toEqual([{ from: "NOK", to: "GBP", day: "2026-10-20" }]);
    // Only the NOK day with a rate is on the draft; the other is never valued at 0 or 1:1 on a final invoice.
    expect(draft.lines.find((l) => l.meter?.key === "fx_llm")?.amount).toBe(round(new Wide(50).times(rate("NOK", "GBP", "2026-10-05")!).times("1.2"), "GBP").toFixed(2));
    await expect(finalizeInvoice(draft.id, finance)).rejects.toThrow(/no FX rate NOK→GBP for 2026-10-20/);
    expect((await db.invoice.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("draft");

    await db.fxRate.create({ data: { base: "EUR", quote: "NOK", date: new Date("2026-10-20T00:00:00Z"), rate: "11.71", source: "manual", createdBy: "test" } });
    RATES.push({ quote: "NOK", date: "2026-10-20", rate: "11.71" });
    const regenerated = await draftFor(customer.id);
    expect(regenerated.fx!.missing).toEqual([]);
    const cost = new Wide(100).times(rate("NOK", "GBP", "2026-10-20")!).plus(new Wide(50).times(rate("NOK", "GBP", "2026-10-05")!));
    expect(regenerated.total).toBe(round(cost.times("1.2"), "GBP").toFixed(2));
    await finalizeInvoice(regenerated.id, finance);
  });

  it("property: any mix of currencies, either rule, any billing currency incl. 0 and 3 decimals: lines rounded once, total = Σ lines", async () => {
    const currencies = ["USD", "EUR", "GBP", "JPY", "KWD", "BHD", "CHF", "NOK"];
    const event = fc.record({
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 5, max: 23 }),
      currency: fc.constantFrom(...currencies),
      amount: fc.tuple(fc.integer({ min: -50, max: 100_000 }), fc.integer({ min: 0, max: 9_999_999 })).map(([i, f]) => `${i}.${String(f).padStart(7, "0")}`),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 25 }),
        fc.constantFrom("GBP", "JPY", "KWD", "EUR", "USD"),
        fc.constantFrom("USD", "EUR"),
        fc.constantFrom("period_end", "event_day"),
        fc.integer({ min: 0, max: 100_000 }),
        async (events, billing, priced, rule, actions) => {
          const customer = await customerOn(priced, billing, rule);
          await insertCosts(customer.id, events, String(actions));
          const invoice = await draftFor(customer.id);

          const missing = new Set<string>();
          let cost = new Wide(0);
          for (const e of events) {
            const day = rule === "event_day" ? `2026-10-${String(e.day).padStart(2, "0")}` : "2026-10-31";
            const r = rate(e.currency, billing, day);
            if (r) cost = cost.plus(new Wide(e.amount).times(r));
            else missing.add(`${e.currency}|${day}`);
          }
          const llm = round(cost.times("1.2"), billing);
          const act = round(new Wide(actions).times("0.0375").times(rate(priced, billing, "2026-10-31")!), billing);
          const digits = DIGITS[billing]!;
          const byMeter = Object.fromEntries(invoice.lines.map((l) => [l.meter?.key, l]));
          expect(invoice.currency).toBe(billing);
          expect(byMeter.fx_llm?.amount).toBe(llm.toFixed(digits));
          expect(byMeter.fx_actions?.amount).toBe(act.toFixed(digits));
          expect(invoice.total).toBe(llm.plus(act).toFixed(digits));
          expect(invoice.lines.reduce((s, l) => s.plus(l.amount), new Wide(0)).toFixed(digits)).toBe(invoice.total);
          expect(new Set((invoice.fx?.missing ?? []).map((m) => `${m.from}|${m.day}`))).toEqual(missing);
        },
      ),
      { numRuns: propertyRuns(100) },
    );
  });
});
