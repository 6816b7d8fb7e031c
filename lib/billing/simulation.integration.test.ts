// Pricing simulation: re-rating a past month under a candidate card writes nothing, and equals what draft generation
// produces once the candidate is really assigned (same data, same code path).
import { beforeAll, describe, expect, it } from "vitest";
import { BadRequestError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { generateDrafts } from "./generate";
import { addAdjustment } from "./lifecycle";
import { simulatePricing, simulationCsv, simulationLinesCsv } from "./simulate";
import { createCatalog, createCustomer, insertEvents } from "./test-fixtures";

const finance: UserCaller = { kind: "user", id: 1, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };
const oct = (day: number) => new Date(Date.UTC(2026, 9, day, 12));
const periodStart = new Date("2026-10-01T04:00:00Z"); // New York

let catalog: Awaited<ReturnType<typeof createCatalog>>;
let candidateId: number;
const ids: Record<string, number> = {};

/** Every invoice and line, and the audit trail, as one text: equal before and after means nothing was written. */
async function billingState() {
  const [row] = await db.$queryRaw<{ state: string }[]>`
    SELECT (SELECT coalesce(string_agg(i::text, '|' ORDER BY i.id), '') FROM invoices i) ||
           (SELECT coalesce(string_agg(l::text, '|' ORDER BY l.id), '') FROM invoice_lines l) ||
           (SELECT count(*)::text FROM audit_logs) AS state`;
  return row!.state;
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "America/New_York" } });
  forgetOrgSettings();
  catalog = await createCatalog();
  const { actions, conversations, llmCost } = catalog.meters;
  const candidate = await db.pricePlan.create({
    data: {
      key: "scale",
      name: "Scale",
      minimumSpend: "150.00",
      effectiveFrom: catalog.from,
      charges: {
        create: [
          { meterId: actions.id, model: "per_unit", unitPrice: "0.05", freeUnits: "100" },
          { meterId: conversations.id, model: "package", packageSize: "10", unitPrice: "2.00" },
          { meterId: llmCost.id, model: "markup", markupPercent: "30" },
        ],
      },
    },
  });
  candidateId = candidate.id;
  for (const [key, plan] of [["ada", catalog.plans.growth.id], ["bo", catalog.plans.growth.id], ["cy", catalog.plans.credits.id]] as const) {
    ids[key] = (await createCustomer(key, plan)).id;
  }
  await db.commitment.create({ data: { customerId: ids.cy!, kind: "spend", amount: "40", startsAt: catalog.from, endsAt: new Date("2030-01-01T00:00:00Z") } });
  await insertEvents([
    { customerId: ids.ada!, type: "agent.action", at: oct(2), quantity: "4000" },
    ...Array.from({ length: 37 }, () => ({ customerId: ids.ada!, type: "agent.conversation", at: oct(3) })),
    { customerId: ids.ada!, type: "llm.call", at: oct(4), cost: "12.345678" },
    { customerId: ids.bo!, type: "agent.action", at: oct(5), quantity: "150" },
    { customerId: ids.cy!, type: "agent.action", at: oct(6), quantity: "2500" },
  ]);
  // ada already has a draft with finance's adjustment: it is the "current" side and is kept by regeneration.
  await generateDrafts("2026-10", finance, [ids.ada!]);
  const draft = await db.invoice.findFirstOrThrow({ where: { customerId: ids.ada!, period: "2026-10" } });
  await addAdjustment(draft.id, { amount: "-10.00", reason: "goodwill credit" }, finance);
});

describe("pricing simulation", () => {
  it("re-rates under a plan version without writing, and equals a real draft run under that plan", async () => {
    const before = await billingState();
    const result = await simulatePricing(finance, { period: "2026-10", candidate: { kind: "plan", planId: candidateId } });
    expect(await billingState()).toBe(before);

    const byKey = Object.fromEntries(result.customers.map((c) => [c.customer.key, c]));
    // ada: 4000 actions graduated (1000 × 0.04 + 3000 × 0.03 = 130) + 37 conversations × 0.35 = 12.95 + 12.345678 × 1.2 = 14.81, − 10.00 adjustment
    expect(byKey.ada!.current).toMatchObject({ source: "invoice", total: "147.76", plan: "growth@v1", invoice: { status: "draft", number: null } });
    // under scale: 3900 × 0.05 = 195 + 4 packages × 2 = 8 + 12.345678 × 1.3 = 16.05 → 219.05, − 10.00
    expect(byKey.ada!.simulated).toEqual({ total: "209.05", plan: "scale@v1" });
    expect(byKey.ada).toMatchObject({ delta: "61.29", deltaPercent: "41.48" });
    expect(byKey.ada!.lines.find((l) => l.meter === "actions")).toMatchObject({ quantity: "4000", current: "130.00", simulated: "195.00", delta: "65.00" });
    expect(byKey.ada!.lines.find((l) => l.kind === "adjustment")).toMatchObject({ current: "-10.00", simulated: "-10.00", delta: "0.00" });
    // bo, no invoice yet: 150 × 0.04 = 6.00, topped up to the 100.00 minimum; under scale 50 × 0.05 = 2.50 → 150.00 minimum
    expect(byKey.bo).toMatchObject({ current: { source: "current_plan", total: "100.00", invoice: null }, simulated: { total: "150.00" }, delta: "50.00", deltaPercent: "50.00" });
    // cy: credits 2500 × 20 × 0.005 = 250.00 − 40.00 prepaid; scale 2400 × 0.05 = 120 → 150.00 minimum − 40.00
    expect(byKey.cy).toMatchObject({ current: { total: "210.00" }, simulated: { total: "110.00" }, delta: "-100.00", deltaPercent: "-47.62" });
    expect(result.customers.map((c) => c.customer.key)).toEqual(["cy", "ada", "bo"]); // biggest movers first
    expect(result.totals).toEqual([{ currency: "USD", current: "457.76", simulated: "469.05", delta: "11.29" }]);

    // The same card assigned for real: draft generation gives exactly the simulated totals.
    for (const id of Object.values(ids)) await db.customerPlan.create({ data: { customerId: id, planId: candidateId, effectiveFrom: periodStart } });
    const generated = await generateDrafts("2026-10", finance);
    expect(Object.fromEntries(generated.invoices.map((i) => [i.customer.key, i.total]))).toEqual(
      Object.fromEntries(result.customers.map((c) => [c.customer.key, c.simulated.total])),
    );
  });

  it("applies changes to each customer's current plan, for chosen customers, and exports CSV", async () => {
    await db.customerPlan.deleteMany({ where: { planId: candidateId } });
    const before = await billingState();
    const result = await simulatePricing(finance, {
      period: "2026-10",
      customers: ["bo", "cy"],
      candidate: { kind: "changes", changes: { minimumSpend: null, charges: [{ meter: "actions", model: "per_unit", unitPrice: "0.10" }, { meter: "conversations", remove: true }] } },
    });
    expect(await billingState()).toBe(before);
    // Current = the drafts the first test generated under scale; the changes apply to each customer's plan now.
    expect(result.customers.map((c) => [c.customer.key, c.current.total, c.simulated.total, c.simulated.plan])).toEqual([
      ["bo", "150.00", "15.00", "growth@v1 + changes"], // 150 × 0.10, no minimum
      ["cy", "110.00", "210.00", "enterprise@v1 + changes"], // 2500 × 0.10 = 250 − 40 prepaid
    ]);
    const csv = simulationCsv(result).split("\r\n");
    expect(csv[0]).toBe("period,customer_key,customer_name,current_source,current_invoice,current_plan,current_currency,current_total,simulated_plan,currency,simulated_total,delta,delta_percent");
    expect(csv[1]).toBe("2026-10,bo,BO,invoice,draft " + result.customers[0]!.current.invoice!.id + ",growth@v1,USD,150.00,growth@v1 + changes,USD,15.00,-135.00,-90.00");
    // Per line: one row per paired line, and each customer's line deltas add up to its total delta.
    const rows = simulationLinesCsv(result).split("\r\n").filter(Boolean);
    expect(rows[0]).toBe("period,customer_key,customer_name,currency,kind,meter,description,quantity,current,simulated,delta");
    expect(rows.length - 1).toBe(result.customers.reduce((n, c) => n + c.lines.length, 0));
    for (const c of result.customers) {
      const deltas = rows.slice(1).filter((r) => r.startsWith(`2026-10,${c.customer.key},`)).map((r) => Number(r.split(",").at(-1)));
      expect(deltas.reduce((a, b) => a + b, 0)).toBeCloseTo(Number(c.delta), 2);
    }
    expect(rows.some((r) => /^2026-10,bo,BO,USD,usage,actions,/.test(r))).toBe(true);
  });

  it("refuses unknown customers and meters, and charges the engine cannot rate, naming the field", async () => {
    const fails = (request: Parameters<typeof simulatePricing>[1]) => simulatePricing(finance, request).then(() => null, (e: unknown) => e);
    const unknownCustomer = await fails({ period: "2026-10", customers: ["bo", "nobody"], candidate: { kind: "plan", planId: candidateId } });
    expect(unknownCustomer).toBeInstanceOf(BadRequestError);
    expect((unknownCustomer as BadRequestError).details).toEqual([{ path: "customers.1", message: "no customer 'nobody'" }]);
    const noPlan = await fails({ period: "2026-10", candidate: { kind: "plan", planId: 999999 } });
    expect((noPlan as BadRequestError).details).toEqual([{ path: "candidate.planId", message: "no price plan 999999" }]);
    const noModel = await fails({ period: "2026-10", candidate: { kind: "changes", changes: { charges: [{ meter: "llm_cost", unitPrice: "1" }] } } });
    expect((noModel as BadRequestError).details).toEqual([{ path: "candidate.changes.charges.0.model", message: "required to add a charge on 'llm_cost' (not in enterprise@v1)" }]);
    const incomplete = await fails({ period: "2026-10", candidate: { kind: "changes", changes: { charges: [{ meter: "actions", model: "package" }] } } });
    expect((incomplete as BadRequestError).details).toEqual([{ path: "candidate.changes.charges.0", message: "package charge needs packageSize" }]);
  });
});
