// Void and regenerate a finalized period after its late usage was carried to another invoice: every rated event is
// billed exactly once across the customer's non-void invoices, whether the carrying invoice is a draft or finalized.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { composeUsageLines } from "./compose";
import { generateDrafts } from "./generate";
import { finalizeInvoice, voidInvoice } from "./lifecycle";
import { Dec, dec, sum } from "./money";
import { billingPeriod } from "./period";
import { rateCustomers } from "./rate-customers";
import { createCatalog, createCustomer, insertEvents } from "./test-fixtures";

const finance: UserCaller = { kind: "user", id: 1, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };
const TZ = "America/New_York";
const oct = (day: number) => new Date(Date.UTC(2026, 9, day, 12));
const nov = (day: number) => new Date(Date.UTC(2026, 10, day, 12));

let catalog: Awaited<ReturnType<typeof createCatalog>>;
let customers = 0;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: TZ } });
  forgetOrgSettings();
  catalog = await createCatalog();
});

const current = (customerId: number, period: string) => db.invoice.findFirstOrThrow({ where: { customerId, period, status: { not: "void" } }, include: { lines: true } });

/** Σ of the customer's non-void invoice totals. */
async function billed(customerId: number) {
  const invoices = await db.invoice.findMany({ where: { customerId, status: { not: "void" } }, select: { total: true } });
  return sum(invoices.map((i) => dec(i.total.toString())));
}

/** The truth: each period's raw events rated now, once (plan minimum included, no commitment). */
async function ratedOnce(customerId: number, periods: string[]) {
  let total = new Dec(0);
  for (const p of periods) {
    const rated = (await rateCustomers(billingPeriod(p, TZ), [customerId])).get(customerId)!;
    total = total.plus(sum(composeUsageLines({ currency: "USD", charges: rated.charges, minimumSpend: rated.plan.minimumSpend, commitment: null }).lines.map((l) => l.amount)));
  }
  return total;
}

/** Finalize October (4,000 actions = 130.00), then 1,000 late October actions carried on November's draft (30.00). */
async function carriedLate(key: string) {
  const c = await createCustomer(key, catalog.plans.growth.id);
  await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(10), quantity: "4000" }]);
  await generateDrafts("2026-10", finance, [c.id]);
  const october = await finalizeInvoice((await current(c.id, "2026-10")).id, finance);
  await insertEvents([
    { customerId: c.id, type: "agent.action", at: oct(20), quantity: "1000", late: true },
    { customerId: c.id, type: "agent.action", at: nov(5), quantity: "2000" },
  ]);
  await generateDrafts("2026-11", finance, [c.id]);
  const november = await current(c.id, "2026-11");
  expect(november.lines.filter((l) => l.kind === "late_adjustment").map((l) => l.amount.toFixed(2))).toEqual(["30.00"]);
  return { customer: c, october, november };
}

describe("void and regenerate after late usage was carried", () => {
  it("carrier still a draft: voiding drops its late line; the regenerated period bills the late usage in full", async () => {
    const { customer, october, november } = await carriedLate("carrier-draft");
    await voidInvoice(october.id, "Wrong plan", finance);
    expect((await current(customer.id, "2026-11")).total.toFixed(2)).toBe("100.00"); // 70.00 usage + 30.00 minimum top-up
    await generateDrafts("2026-10", finance, [customer.id]);
    const regenerated = await current(customer.id, "2026-10");
    expect(regenerated.lines.filter((l) => l.kind === "late_adjustment")).toEqual([]);
    expect(regenerated.total.toFixed(2)).toBe("160.00"); // 5,000 actions: 40 + 4,000 × 0.03
    await generateDrafts("2026-11", finance, [customer.id]);
    const again = await current(customer.id, "2026-11");
    expect(again.id).toBe(november.id);
    expect(again.lines.filter((l) => l.kind === "late_adjustment")).toEqual([]);
    expect((await billed(customer.id)).toFixed(2)).toBe((await ratedOnce(customer.id, ["2026-10", "2026-11"])).toFixed(2));
  });

  it("carrier finalized: the regenerated period credits what was already billed, and later late usage is carried once", async () => {
    const { customer, october, november } = await carriedLate("carrier-final");
    await finalizeInvoice(november.id, finance);
    await voidInvoice(october.id, "Wrong plan", finance);
    expect((await current(customer.id, "2026-11")).total.toFixed(2)).toBe("130.00"); // finalized: unchanged
    await generateDrafts("2026-10", finance, [customer.id]);
    const regenerated = await current(customer.id, "2026-10");
    const credit = regenerated.lines.filter((l) => l.kind === "late_adjustment");
    expect(credit.map((l) => l.amount.toFixed(2))).toEqual(["-30.00"]);
    expect(credit[0]?.description).toContain("already billed");
    expect([regenerated.subtotal.toFixed(2), regenerated.total.toFixed(2)]).toEqual(["160.00", "130.00"]);
    expect((await billed(customer.id)).toFixed(2)).toBe((await ratedOnce(customer.id, ["2026-10", "2026-11"])).toFixed(2));

    // The regenerated October is finalized; 500 more late actions arrive: December carries exactly those.
    await finalizeInvoice(regenerated.id, finance);
    await insertEvents([{ customerId: customer.id, type: "agent.action", at: oct(25), quantity: "500", late: true }]);
    await generateDrafts("2026-12", finance, [customer.id]);
    const december = await current(customer.id, "2026-12");
    expect(december.lines.filter((l) => l.kind === "late_adjustment").map((l) => l.amount.toFixed(2))).toEqual(["15.00"]);
    expect((await billed(customer.id)).toFixed(2)).toBe((await ratedOnce(customer.id, ["2026-10", "2026-11", "2026-12"])).toFixed(2));
  });

  it("with a spend commitment, the regenerated period draws only on what is still due", async () => {
    const c = await createCustomer("carrier-spend", catalog.plans.growth.id);
    await db.commitment.create({ data: { customerId: c.id, kind: "spend", amount: "1000", startsAt: new Date("2026-09-01T04:00:00Z"), endsAt: new Date("2027-09-01T04:00:00Z") } });
    await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(10), quantity: "4000" }]);
    await generateDrafts("2026-10", finance, [c.id]);
    const october = await finalizeInvoice((await current(c.id, "2026-10")).id, finance);
    await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(20), quantity: "1000", late: true }]);
    await generateDrafts("2026-11", finance, [c.id]);
    await finalizeInvoice((await current(c.id, "2026-11")).id, finance); // 100.00 drawn, late 30.00 billed
    await voidInvoice(october.id, "Wrong plan", finance);
    await generateDrafts("2026-10", finance, [c.id]);
    const regenerated = await current(c.id, "2026-10");
    const amounts = Object.fromEntries(regenerated.lines.filter((l) => l.kind !== "usage").map((l) => [l.kind, l.amount.toFixed(2)]));
    expect(amounts).toEqual({ late_adjustment: "-30.00", commitment: "-130.00" }); // 160.00 of usage, 30.00 billed on November
    expect(regenerated.total.toFixed(2)).toBe("0.00");
    // Money billed plus commitment drawn equals the raw events rated once.
    const drawn = await db.invoiceLine.findMany({ where: { kind: "commitment", invoice: { customerId: c.id, status: { not: "void" } } } });
    const paid = (await billed(c.id)).minus(sum(drawn.map((l) => dec(l.amount.toString()))));
    expect(paid.toFixed(2)).toBe((await ratedOnce(c.id, ["2026-10", "2026-11"])).toFixed(2));
  });

  it("a void committed while a draft run is computing leaves no late line for the voided invoice", async () => {
    const c = await createCustomer("void-race", catalog.plans.growth.id);
    await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(10), quantity: "4000" }]);
    await generateDrafts("2026-10", finance, [c.id]);
    const october = await finalizeInvoice((await current(c.id, "2026-10")).id, finance);
    await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(20), quantity: "1000", late: true }]);

    // Hold November's period lock, so the run computes its late lines and then waits; void October meanwhile.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const locked = new Promise<void>((resolve) => (held = resolve));
    const holder = db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('agentledger:billing-period'), hashtext('2026-11'))`;
        held();
        await gate;
      },
      { timeout: 60_000 },
    );
    await locked;
    const run = generateDrafts("2026-11", finance, [c.id]);
    const waiting = async () => (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)[0]!.n;
    while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await voidInvoice(october.id, "Wrong plan", finance);
    release();
    await holder;
    await run;

    expect((await current(c.id, "2026-11")).lines.filter((l) => l.kind === "late_adjustment")).toEqual([]);
    await generateDrafts("2026-10", finance, [c.id]);
    expect((await current(c.id, "2026-10")).total.toFixed(2)).toBe("160.00");
    expect((await billed(c.id)).toFixed(2)).toBe((await ratedOnce(c.id, ["2026-10", "2026-11"])).toFixed(2));
  });

  it("property: finalize → late events → carry → (finalize carrier) → void → regenerate (→ more late, void carrier) → totals equal the raw events once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // Growth has tiers and a 100.00 minimum (small late usage can be absorbed by it); enterprise has neither.
          plan: fc.constantFrom("growth" as const, "credits" as const),
          onTime: fc.integer({ min: 0, max: 20000 }),
          late: fc.integer({ min: 1, max: 20000 }),
          next: fc.integer({ min: 0, max: 20000 }),
          carrierFinalized: fc.boolean(),
          regenerateCarrier: fc.boolean(),
          lateAgain: fc.integer({ min: 0, max: 20000 }),
          voidCarrier: fc.boolean(),
        }),
        async (s) => {
          const c = await createCustomer(`prop${++customers}`, catalog.plans[s.plan].id);
          const events = (at: Date, quantity: number, late = false) => (quantity > 0 ? [{ customerId: c.id, type: "agent.action", at, quantity: String(quantity), late }] : []);
          await insertEvents(events(oct(3), s.onTime));
          await generateDrafts("2026-10", finance, [c.id]);
          const october = await finalizeInvoice((await current(c.id, "2026-10")).id, finance);
          await insertEvents([...events(oct(21), s.late, true), ...events(nov(9), s.next)]);
          await generateDrafts("2026-11", finance, [c.id]);
          if (s.carrierFinalized) await finalizeInvoice((await current(c.id, "2026-11")).id, finance);
          await voidInvoice(october.id, "Property test", finance);
          await generateDrafts("2026-10", finance, [c.id]);
          if (!s.carrierFinalized && s.regenerateCarrier) await generateDrafts("2026-11", finance, [c.id]);
          expect((await billed(c.id)).toFixed(2)).toBe((await ratedOnce(c.id, ["2026-10", "2026-11"])).toFixed(2));

          // Finalize the regenerated period, then more late usage: the next run carries it once.
          await finalizeInvoice((await current(c.id, "2026-10")).id, finance);
          await insertEvents(events(oct(28), s.lateAgain, true));
          if (s.voidCarrier) {
            // Voiding the carrier (draft or finalized) and regenerating it carries October's late usage again.
            await voidInvoice((await current(c.id, "2026-11")).id, "Property test", finance);
            await generateDrafts("2026-11", finance, [c.id]);
          }
          await generateDrafts("2026-12", finance, [c.id]);
          expect((await billed(c.id)).toFixed(2)).toBe((await ratedOnce(c.id, ["2026-10", "2026-11", "2026-12"])).toFixed(2));
        },
      ),
      { numRuns: 20 },
    );
  }, 300_000);
});
