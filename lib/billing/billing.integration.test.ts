import { PDFParse } from "pdf-parse";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";
import { customerBilling } from "./burndown";
import { generateDrafts } from "./generate";
import { addAdjustment, finalizeInvoice, voidInvoice } from "./lifecycle";
import { invoicePdf } from "./pdf";
import { getInvoice } from "./queries";
import { createCatalog, createCustomer, insertEvents, testIssuer } from "./test-fixtures";

const finance: UserCaller = { kind: "user", id: 1, email: "finance@test", name: "Finance", role: "finance", departmentIds: null };
// New York: October 2026 runs from 04:00Z on Oct 1 to 04:00Z on Nov 1 (EDT).
const oct = (day: number, hour = 12) => new Date(Date.UTC(2026, 9, day, hour));
const nov = (day: number, hour = 12) => new Date(Date.UTC(2026, 10, day, hour));

let catalog: Awaited<ReturnType<typeof createCatalog>>;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "America/New_York" } });
  forgetOrgSettings();
  catalog = await createCatalog();
});

async function invoiceFor(customerId: number, period: string) {
  const inv = await db.invoice.findFirstOrThrow({ where: { customerId, period, status: { not: "void" } } });
  return getInvoice(finance, inv.id);
}

describe("draft generation", () => {
  it("rates every charge model from raw events in the organization's month and applies the minimum", async () => {
    const acme = await createCustomer("acme", catalog.plans.growth.id);
    await insertEvents([
      { customerId: acme.id, type: "agent.action", at: oct(1, 3), quantity: "999" }, // Sept 30 in New York: not October
      { customerId: acme.id, type: "agent.action", at: oct(2), quantity: "1500" },
      ...Array.from({ length: 101 }, () => ({ customerId: acme.id, type: "agent.conversation", at: oct(3) })),
      { customerId: acme.id, type: "llm.call", at: oct(4), cost: "10.123456" },
      { customerId: acme.id, type: "agent.action", at: nov(1, 3), quantity: "7" }, // Oct 31 local
    ]);
    const result = await generateDrafts("2026-10", finance, [acme.id]);
    expect(result.invoices).toHaveLength(1);
    const invoice = await invoiceFor(acme.id, "2026-10");
    const byMeter = Object.fromEntries(invoice.lines.map((l) => [l.meter?.key ?? l.kind, l]));
    // 1,507 actions: 1,000 × 0.04 + 507 × 0.03 = 55.21
    expect(byMeter.actions).toMatchObject({ quantity: "1507", amount: "55.21" });
    expect(byMeter.actions?.tiers).toHaveLength(2);
    // 101 conversations, volume tier 2: 101 × 0.25 = 25.25
    expect(byMeter.conversations).toMatchObject({ quantity: "101", amount: "25.25" });
    // 10.123456 × 1.2 = 12.1481472 → 12.15
    expect(byMeter.llm_cost).toMatchObject({ amount: "12.15" });
    // 92.61 of usage under a 100.00 minimum
    expect(byMeter.minimum).toMatchObject({ amount: "7.39" });
    expect(invoice).toMatchObject({ subtotal: "100.00", adjustmentsTotal: "0.00", total: "100.00" });
    expect(byMeter.actions?.usageRef).toMatchObject({ meter: "actions", customerId: acme.id, from: "2026-10-01T04:00:00.000Z", to: "2026-11-01T04:00:00.000Z" });
  });

  it("is idempotent: regenerating replaces computed lines, keeps adjustments, creates no second draft", async () => {
    const globex = await createCustomer("globex", catalog.plans.growth.id);
    await insertEvents([{ customerId: globex.id, type: "agent.action", at: oct(5), quantity: "5000" }]);
    await generateDrafts("2026-10", finance, [globex.id]);
    const first = await invoiceFor(globex.id, "2026-10");
    await addAdjustment(first.id, { amount: "-20.005", reason: "Goodwill credit for outage" }, finance);
    await insertEvents([{ customerId: globex.id, type: "agent.action", at: oct(6), quantity: "1000" }]);
    await generateDrafts("2026-10", finance, [globex.id]);
    await generateDrafts("2026-10", finance, [globex.id]);
    expect(await db.invoice.count({ where: { customerId: globex.id } })).toBe(1);
    const again = await invoiceFor(globex.id, "2026-10");
    expect(again.id).toBe(first.id);
    // 6,000 actions: 40 + 5,000 × 0.03 = 190.00; adjustment −20.005 rounds half-even to −20.00
    expect(again.lines.filter((l) => l.kind === "usage").map((l) => l.amount)).toEqual(["190.00", "0.00", "0.00"]);
    expect(again.lines.filter((l) => l.kind === "adjustment").map((l) => l.amount)).toEqual(["-20.00"]);
    expect(again).toMatchObject({ subtotal: "190.00", adjustmentsTotal: "-20.00", total: "170.00" });
  });
});

describe("finalize and void", () => {
  it("numbers finalized invoices sequentially without gaps under concurrency", async () => {
    const customers = await Promise.all(Array.from({ length: 8 }, (_, i) => createCustomer(`seq${i}`, catalog.plans.growth.id)));
    await generateDrafts("2026-10", finance, customers.map((c) => c.id));
    const drafts = await db.invoice.findMany({ where: { customerId: { in: customers.map((c) => c.id) } } });
    const before = (await db.invoice.aggregate({ _max: { number: true } }))._max.number ?? 0;
    const results = await Promise.allSettled([...drafts, drafts[0]!].map((d) => finalizeInvoice(d.id, finance)));
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1); // the second finalize of the same draft
    const numbers = (await db.invoice.findMany({ where: { id: { in: drafts.map((d) => d.id) } } })).map((i) => i.number!).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => before + i + 1));
    expect(await db.auditLog.count({ where: { action: "invoice.finalize" } })).toBeGreaterThanOrEqual(8);
  });

  it("never changes a finalized invoice: later events and plan changes go to the next draft", async () => {
    const initech = await createCustomer("initech", catalog.plans.growth.id);
    await insertEvents([{ customerId: initech.id, type: "agent.action", at: oct(10), quantity: "4000" }]);
    await generateDrafts("2026-10", finance, [initech.id]);
    const draft = await invoiceFor(initech.id, "2026-10");
    const finalized = await finalizeInvoice(draft.id, finance);
    const snapshot = await getInvoice(finance, finalized.id);
    expect(snapshot.total).toBe("130.00"); // 40 + 3,000 × 0.03

    // A late event (ingestion flags it) and a price change of the same plan, both after finalization.
    await insertEvents([{ customerId: initech.id, type: "agent.action", at: oct(20), quantity: "1000", late: true }]);
    await db.charge.updateMany({ where: { planId: catalog.plans.growth.id, model: "markup" }, data: { markupPercent: "50" } });
    await generateDrafts("2026-10", finance, [initech.id]);
    await expect(addAdjustment(finalized.id, { amount: "1", reason: "should fail" }, finance)).rejects.toThrow(/finalized/);
    expect(await getInvoice(finance, finalized.id)).toEqual(snapshot);

    await generateDrafts("2026-11", finance, [initech.id]);
    const next = await invoiceFor(initech.id, "2026-11");
    const late = next.lines.filter((l) => l.kind === "late_adjustment");
    expect(late.map((l) => l.amount)).toEqual(["30.00"]); // 1,000 late actions at tier 2
    expect(late[0]?.description).toContain(snapshot.number!);
    // Regenerating the next draft does not carry the late usage twice.
    await generateDrafts("2026-11", finance, [initech.id]);
    expect((await invoiceFor(initech.id, "2026-11")).lines.filter((l) => l.kind === "late_adjustment").map((l) => l.amount)).toEqual(["30.00"]);
    await db.charge.updateMany({ where: { planId: catalog.plans.growth.id, model: "markup" }, data: { markupPercent: "20" } });
  });

  it("voids with a reason and refuses to void twice", async () => {
    const wayne = await createCustomer("wayne", catalog.plans.growth.id);
    await generateDrafts("2026-10", finance, [wayne.id]);
    const draft = await invoiceFor(wayne.id, "2026-10");
    await voidInvoice(draft.id, "Customer churned before billing", finance);
    await expect(voidInvoice(draft.id, "again", finance)).rejects.toThrow(/already void/);
    expect((await getInvoice(finance, draft.id)).voidReason).toBe("Customer churned before billing");
    expect(await db.auditLog.count({ where: { action: "invoice.void", entityId: String(draft.id) } })).toBe(1);
  });
});

describe("commitments", () => {
  it("draws prepaid credits down across periods and bills the overage at the plan rate", async () => {
    const stark = await createCustomer("stark", catalog.plans.credits.id);
    await db.commitment.create({ data: { customerId: stark.id, kind: "credits", amount: "300000", startsAt: new Date("2026-09-01T04:00:00Z"), endsAt: new Date("2027-09-01T04:00:00Z") } });
    await insertEvents([
      { customerId: stark.id, type: "agent.action", at: oct(8), quantity: "10000" }, // 200,000 credits = $1,000
      { customerId: stark.id, type: "agent.action", at: nov(8), quantity: "10000" }, // 100,000 left: $500 overage
    ]);
    await generateDrafts("2026-10", finance, [stark.id]);
    const october = await invoiceFor(stark.id, "2026-10");
    expect(october.lines.find((l) => l.kind === "commitment")).toMatchObject({ quantity: "200000", amount: "-1000.00" });
    expect(october.total).toBe("0.00");
    await generateDrafts("2026-11", finance, [stark.id]);
    const november = await invoiceFor(stark.id, "2026-11");
    expect(november.lines.find((l) => l.kind === "commitment")).toMatchObject({ quantity: "100000", amount: "-500.00" });
    expect(november.total).toBe("500.00");

    const { commitments } = await customerBilling(finance, "stark", nov(20));
    expect(commitments[0]?.points).toEqual([
      { period: "2026-09", drawn: "0", balance: "300000", source: "not invoiced" },
      { period: "2026-10", drawn: "200000", balance: "100000", source: "invoice" },
      { period: "2026-11", drawn: "100000", balance: "0", source: "invoice" },
    ]);
  });
});

describe("pdf", () => {
  it("is a real PDF whose text contains the lines and the total", async () => {
    const invoice = await invoiceFor((await db.customer.findUniqueOrThrow({ where: { key: "acme" } })).id, "2026-10");
    const pdf = await invoicePdf(invoice, testIssuer("Test Org"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain("Agent actions");
    expect(text).toMatch(/Total due \(USD\)\s+\$100\.00/);
  });
});
