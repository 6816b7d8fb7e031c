// Rate card editor (domain): a new version with its charges, field errors, the audit trail, a frozen version once it
// priced a finalized invoice, and the new version pricing the next draft while the finalized invoice stays as issued.
import { beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { BadRequestError, ConflictError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import { updateCustomer } from "@/lib/admin/customers";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { seedBasics } from "@/tests/helpers/db";
import { generateDrafts } from "./generate";
import { finalizeInvoice } from "./lifecycle";
import { getInvoice } from "./queries";
import { chargeInputOf, rateCardCreate } from "./rate-card-schemas";
import { createRateCard, listRateCards, updateCharge, updateRateCard } from "./rate-cards";
import { createTaxRate } from "./tax-store";
import { createCatalog, createCustomer, insertEvents } from "./test-fixtures";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
let catalog: Awaited<ReturnType<typeof createCatalog>>;

const paths = (input: unknown) => {
  const parsed = rateCardCreate.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};
const card = (over: Record<string, unknown> = {}) => ({
  key: "starter",
  name: "Starter",
  currency: "USD",
  effectiveFrom: "2020-01-01T00:00:00Z",
  charges: [{ meter: "actions", model: "per_unit", unitPrice: "0.10" }],
  ...over,
});

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  catalog = await createCatalog();
  await createTaxRate(admin, { country: "DE", category: "standard", name: "VAT", ratePercent: "19", effectiveFrom: "2020-01-01T00:00:00Z", source: "manual" });
  await createTaxRate(admin, { country: "DE", category: "reduced", name: "VAT", ratePercent: "7", effectiveFrom: "2020-01-01T00:00:00Z", source: "manual" });
});

describe("rate card validation", () => {
  it("names each bad field: model fields, tiers, floor above cap, half a guarantee, a duplicate meter", () => {
    const issues = paths(
      card({
        charges: [
          { meter: "actions", model: "per_unit" },
          { meter: "conversations", model: "graduated", unitPrice: "1", tiers: [{ upTo: null, unitPrice: "1" }, { upTo: "10", unitPrice: "2" }] },
          { meter: "llm_cost", model: "markup", markupPercent: "20", minimumAmount: "50", maximumAmount: "10", guaranteeCreditPercent: "10" },
          { meter: "actions", model: "package", unitPrice: "5", packageSize: "0", taxCategory: "luxury" },
        ],
      }),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        "charges.0.unitPrice: Required for a per_unit charge",
        "charges.1.unitPrice: A graduated charge does not use unitPrice; leave it empty",
        "charges.1.tiers: Tier 1: only the last tier may be open-ended",
        "charges.1.tiers: The last tier must be open-ended (upTo null), so every quantity has a price",
        "charges.2.maximumAmount: Must be at least the floor (minimumAmount)",
        "charges.2.guaranteeMaxEscalationRate: Required with guaranteeCreditPercent: the agreed escalation rate",
      ]),
    );
    expect(paths(card({ charges: [{ meter: "actions", model: "per_unit", unitPrice: "1" }, { meter: "actions", model: "per_unit", unitPrice: "2" }] }))).toEqual([
      "charges.1.meter: Meter actions is already priced by charge 1",
    ]);
    expect(issues.some((i) => i.startsWith("charges.3.taxCategory: "))).toBe(true);
    expect(paths(card({ currency: "XXQ", charges: [{ meter: "actions", model: "per_unit", unitPrice: "1e3" }] }))).toEqual([
      "currency: must be an active ISO 4217 currency code, e.g. USD",
      'charges.0.unitPrice: must be a decimal number such as "12.34"',
    ]);
  });

  it("refuses an unknown meter and a guarantee on a meter over events, writing nothing", async () => {
    const before = await db.pricePlan.count();
    const unknown = createRateCard(admin, rateCardCreate.parse(card({ charges: [{ meter: "nope", model: "per_unit", unitPrice: "1" }] })));
    await expect(unknown).rejects.toMatchObject({ details: [{ path: "charges.0.meter", message: "No meter with key nope" }] });
    const guarantee = createRateCard(
      admin,
      rateCardCreate.parse(card({ charges: [{ meter: "actions", model: "per_unit", unitPrice: "1", guaranteeMaxEscalationRate: "0.1", guaranteeCreditPercent: "10" }] })),
    );
    await expect(guarantee).rejects.toBeInstanceOf(BadRequestError);
    await expect(guarantee).rejects.toMatchObject({ details: [{ path: "charges.0.guaranteeMaxEscalationRate" }] });
    expect(await db.pricePlan.count()).toBe(before);
  });
});

describe("versions", () => {
  it("creates the next version with its charges, audited; a version that priced a finalized invoice is frozen; the new version prices the next draft", async () => {
    const customer = await createCustomer("acme-rc", catalog.plans.growth.id);
    await updateCustomer(admin, customer.id, { taxCountry: "DE" });
    await insertEvents([
      { customerId: customer.id, type: "agent.action", at: new Date("2026-10-10T12:00:00Z"), quantity: "1000" },
      { customerId: customer.id, type: "agent.action", at: new Date("2026-11-10T12:00:00Z"), quantity: "1000" },
    ]);
    await generateDrafts("2026-10", admin, [customer.id]);
    const october = await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-10" } });
    await finalizeInvoice(october.id, admin);
    const issued = await getInvoice(admin, october.id);

    const growth = (await listRateCards(admin)).find((p) => p.key === "growth" && p.version === 1)!;
    expect(growth.lockedBy).toEqual([issued.number]);
    await expect(updateCharge(admin, growth.id, growth.charges[0]!.id, { tiers: [{ upTo: null, unitPrice: "0.01" }] })).rejects.toBeInstanceOf(ConflictError);
    await expect(updateRateCard(admin, growth.id, { pricesIncludeTax: true })).rejects.toThrow(/growth@v1 priced finalized invoices \(INV-\d+\) and cannot change: create a new version/);

    // A version starting inside the finalized October would re-price it (late usage): refused on the field.
    const copy = { key: "growth", name: "Growth 2027", currency: "USD", minimumSpend: "100.00", charges: growth.charges.map(chargeInputOf) };
    await expect(createRateCard(admin, rateCardCreate.parse({ ...copy, effectiveFrom: "2026-10-01T00:00:00Z" }))).rejects.toMatchObject({ details: [{ path: "effectiveFrom" }] });

    const v2 = await createRateCard(admin, rateCardCreate.parse({ ...copy, effectiveFrom: "2026-11-01T00:00:00Z" }));
    expect(v2).toMatchObject({ key: "growth", version: 2, lockedBy: [], pricesIncludeTax: false, charges: [{ meter: "actions", model: "graduated" }, { meter: "conversations" }, { meter: "llm_cost" }] });
    const actions = v2.charges.find((c) => c.meter === "actions")!;
    const edited = await updateCharge(admin, v2.id, actions.id, { model: "per_unit", tiers: null, unitPrice: "0.25", taxCategory: "reduced" });
    expect(edited.charges.find((c) => c.meter === "actions")).toMatchObject({ model: "per_unit", unitPrice: "0.25", tiers: null, taxCategory: "reduced" });
    // A PATCH is checked as it will be stored: per_unit with tiers left is refused on the field.
    await expect(updateCharge(admin, v2.id, actions.id, { tiers: [{ upTo: null, unitPrice: "1" }] })).rejects.toMatchObject({ details: [{ path: "tiers" }] });

    const audits = await db.auditLog.findMany({ where: { entity: "price_plan", entityId: String(v2.id) }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["rate_card.create", "rate_card.charge_update"]);
    expect(audits[1]!.before).toMatchObject({ model: "graduated", taxCategory: null });
    expect(audits[1]!.after).toMatchObject({ model: "per_unit", unitPrice: "0.25", taxCategory: "reduced" });

    // November's draft is priced by v2: 1000 × 0.25 = 250.00 at the reduced 7 %; October stays as issued.
    await generateDrafts("2026-11", admin, [customer.id]);
    const november = await getInvoice(admin, (await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-11" } })).id);
    expect(november.lines.find((l) => l.kind === "usage" && l.usageRef?.meter === "actions")).toMatchObject({ amount: "250.00", unitPrice: "0.25", usageRef: expect.objectContaining({ plan: "growth@v2" }) });
    expect(november.lines.filter((l) => l.kind === "tax").map((l) => l.description)).toContain("VAT 7% (reduced, DE)");
    expect(await getInvoice(admin, october.id)).toEqual(issued);
  });

  it("changes the settings of a version not used yet", async () => {
    const v = await createRateCard(admin, rateCardCreate.parse(card({ key: "fresh" })));
    const after = await updateRateCard(admin, v.id, { pricesIncludeTax: true, minimumSpend: "20.00" });
    expect(after).toMatchObject({ version: 1, pricesIncludeTax: true, minimumSpend: "20" });
    expect(() => rateCardCreate.parse(card({ charges: "none" }))).toThrow(ZodError);
  });
});
