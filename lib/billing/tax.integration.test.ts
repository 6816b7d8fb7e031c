// Taxes on real drafts: the customer's jurisdiction and the charge's category pick the rate; inclusive rate cards
// have their tax taken out; adjustments are re-taxed; a missing rate blocks finalization; rates cannot overlap.
import { PDFParse } from "pdf-parse";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { updateCustomer } from "@/lib/admin/customers";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedBasics } from "@/tests/helpers/db";
import { generateDrafts } from "./generate";
import { addAdjustment, finalizeInvoice } from "./lifecycle";
import { invoicePdf } from "./pdf";
import { getInvoice } from "./queries";
import { REVERSE_CHARGE_NOTE } from "./tax";
import { createTaxRate, updateTaxRate } from "./tax-store";
import { createCatalog, createCustomer, insertEvents, testIssuer } from "./test-fixtures";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const oct = (day: number) => new Date(Date.UTC(2026, 9, day, 12));
let catalog: Awaited<ReturnType<typeof createCatalog>>;

async function draft(customerId: number) {
  await generateDrafts("2026-10", admin, [customerId]);
  return getInvoice(admin, (await db.invoice.findFirstOrThrow({ where: { customerId, period: "2026-10", status: { not: "void" } } })).id);
}

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  catalog = await createCatalog();
  // Conversations are a digital service; the other charges take the organization's default (standard).
  await db.charge.updateMany({ where: { meterId: catalog.meters.conversations.id }, data: { taxCategory: "digital_services" } });
  const from = "2020-01-01T00:00:00Z";
  await createTaxRate(admin, { country: "GB", category: "standard", name: "VAT", ratePercent: "20", effectiveFrom: from, source: "manual" });
  await createTaxRate(admin, { country: "GB", category: "digital_services", name: "VAT", ratePercent: "20", effectiveFrom: from, effectiveTo: "2026-10-15T00:00:00Z", source: "manual" });
  await createTaxRate(admin, { country: "GB", category: "digital_services", name: "VAT", ratePercent: "5", effectiveFrom: "2026-10-15T00:00:00Z", source: "manual" });
});

describe("taxes on drafts", () => {
  it("taxes each line at its category's rate on the period's last day, and re-taxes after an adjustment", async () => {
    const c = await createCustomer("brit", catalog.plans.growth.id);
    await updateCustomer(admin, c.id, { taxCountry: "GB" });
    await insertEvents([
      { customerId: c.id, type: "agent.action", at: oct(2), quantity: "1507" }, // 55.21
      ...Array.from({ length: 101 }, () => ({ customerId: c.id, type: "agent.conversation", at: oct(3) })), // 25.25
    ]);
    let invoice = await draft(c.id);
    // Standard 20%: actions 11.042 → 11.04, minimum 19.54 → 3.908 → 3.91; digital services 5%: 1.2625 → 1.26.
    expect(invoice.lines.filter((l) => l.kind === "tax").map((l) => [l.description, l.quantity, l.amount])).toEqual([
      ["VAT 20% (standard, GB)", "74.75", "14.95"],
      ["VAT 5% (digital services, GB)", "25.25", "1.26"],
    ]);
    expect(invoice).toMatchObject({ subtotal: "100.00", taxTotal: "16.21", total: "116.21" });
    await addAdjustment(invoice.id, { amount: "-10.00", reason: "Service credit" }, admin);
    invoice = await getInvoice(admin, invoice.id);
    expect(invoice).toMatchObject({ subtotal: "100.00", adjustmentsTotal: "-10.00", taxTotal: "14.21", total: "104.21" });
  });

  it("takes tax out of a tax-inclusive rate card: the customer pays the prices", async () => {
    const plan = await db.pricePlan.create({
      data: { key: "inclusive", name: "Inclusive", pricesIncludeTax: true, effectiveFrom: new Date("2020-01-01T00:00:00Z"), charges: { create: [{ meterId: catalog.meters.actions.id, model: "per_unit", unitPrice: "1.20" }] } },
    });
    const c = await createCustomer("incl", plan.id);
    await updateCustomer(admin, c.id, { taxCountry: "GB" });
    await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(5), quantity: "100" }]);
    const invoice = await draft(c.id);
    expect(invoice.lines.find((l) => l.kind === "usage")).toMatchObject({ amount: "100.00", grossAmount: "120.00" });
    expect(invoice).toMatchObject({ subtotal: "100.00", taxTotal: "20.00", total: "120.00" });
    // Regenerating taxes the same prices again, not the net amounts.
    expect(await draft(c.id)).toMatchObject({ subtotal: "100.00", taxTotal: "20.00", total: "120.00" });
  });

  it("reverse charge: no tax, the legal note on the PDF; JPY tax rounds to whole yen", async () => {
    const c = await createCustomer("eu-b2b", catalog.plans.growth.id);
    await updateCustomer(admin, c.id, { taxCountry: "GB", reverseCharge: true, taxId: "FR 12 345678901", billingCurrency: "USD" });
    await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(6), quantity: "3000" }]);
    const invoice = await draft(c.id);
    expect(invoice).toMatchObject({ taxTotal: "0.00", total: invoice.subtotal });
    const parser = new PDFParse({ data: new Uint8Array(await invoicePdf(invoice, testIssuer("Seller"))) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    expect(text).toContain(REVERSE_CHARGE_NOTE);

    await createTaxRate(admin, { country: "JP", category: "standard", name: "Consumption tax", ratePercent: "10", effectiveFrom: "2020-01-01T00:00:00Z", source: "manual" });
    const plan = await db.pricePlan.create({
      data: { key: "flat", name: "Flat", currency: "JPY", effectiveFrom: new Date("2020-01-01T00:00:00Z"), charges: { create: [{ meterId: catalog.meters.actions.id, model: "per_unit", unitPrice: "12.25" }] } },
    });
    const jp = await createCustomer("jp", plan.id);
    await updateCustomer(admin, jp.id, { taxCountry: "JP" });
    await insertEvents([{ customerId: jp.id, type: "agent.action", at: oct(7), quantity: "100" }]);
    // ¥1,225 × 10% = 122.5 → ¥122 (half-even).
    expect(await draft(jp.id)).toMatchObject({ subtotal: "1225", taxTotal: "122", total: "1347" });
  });

  it("a category without a rate blocks finalization until the rate exists", async () => {
    const c = await createCustomer("nowhere", catalog.plans.growth.id);
    await updateCustomer(admin, c.id, { taxCountry: "FR" });
    await insertEvents([{ customerId: c.id, type: "agent.action", at: oct(8), quantity: "10" }]);
    const invoice = await draft(c.id);
    await expect(finalizeInvoice(invoice.id, admin)).rejects.toThrow("No tax rate for standard in FR");
    await createTaxRate(admin, { country: "FR", category: "standard", name: "TVA", ratePercent: "20", effectiveFrom: "2020-01-01T00:00:00Z", source: "manual" });
    await createTaxRate(admin, { country: "FR", category: "digital_services", name: "TVA", ratePercent: "20", effectiveFrom: "2020-01-01T00:00:00Z", source: "manual" });
    const regenerated = await draft(c.id);
    await expect(finalizeInvoice(regenerated.id, admin)).resolves.toMatchObject({ status: "finalized" });
  });

  it("refuses overlapping rates for one jurisdiction and category", async () => {
    await expect(createTaxRate(admin, { country: "GB", category: "standard", name: "VAT", ratePercent: "17.5", effectiveFrom: "2026-01-01T00:00:00Z", source: "manual" })).rejects.toThrow(/already applies/);
    const ended = await createTaxRate(admin, { country: "IE", category: "standard", name: "VAT", ratePercent: "23", effectiveFrom: "2020-01-01T00:00:00Z", effectiveTo: "2026-01-01T00:00:00Z", source: "manual" });
    await expect(updateTaxRate(admin, ended.id, { effectiveTo: null })).resolves.toMatchObject({ effectiveTo: null });
    expect(await db.auditLog.count({ where: { action: { startsWith: "tax_rate." } } })).toBeGreaterThan(5);
  });
});
