// The invoice document: issue and due dates from payment terms, billing details frozen at finalization, and the PDF
// checked twice — by its text, and by page 1 rendered with poppler's pdftoppm against a reviewed baseline PNG.
// Refresh the baseline after an intended layout change: UPDATE_PDF_BASELINE=1, then look at the PNG before committing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFParse } from "pdf-parse";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { updateSettings } from "@/lib/admin/settings";
import { updateCustomer } from "@/lib/admin/customers";
import { invoiceIssuer } from "@/lib/billing/issuer";
import { generateDrafts } from "@/lib/billing/generate";
import { addAdjustment, finalizeInvoice } from "@/lib/billing/lifecycle";
import { invoicePdf } from "@/lib/billing/pdf";
import { getInvoice } from "@/lib/billing/queries";
import { createTaxRate } from "@/lib/billing/tax-store";
import { createCatalog, createCustomer, insertEvents } from "@/lib/billing/test-fixtures";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { forgetOrgSettings } from "@/lib/org";
import { seedBasics } from "@/tests/helpers/db";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const BASELINE = path.join(__dirname, "fixtures/invoice/invoice-page1.png");
const CREATED = new Date("2026-11-05T15:00:00Z");

/** A small deterministic logo: a navy tile with a light band, drawn with pngjs. */
function logoPng(tileColour: [number, number, number] = [30, 58, 95]): string {
  const png = new PNG({ width: 160, height: 48 });
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 160; x++) {
      const i = (y * 160 + x) * 4;
      const tile = x < 48;
      const band = tile && x + y > 30 && x + y < 46;
      const [r, g, b] = band ? [125, 211, 252] : tile ? tileColour : [255, 255, 255];
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString("base64")}`;
}

let invoiceId: number;
let customerId: number;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await db.organization.update({ where: { id: 1 }, data: { timeZone: "Europe/Berlin" } });
  forgetOrgSettings();
  await updateSettings(admin, {
    legalName: "AgentLedger Demo GmbH",
    address: "Friedrichstraße 68\n10117 Berlin\nGermany",
    taxId: "DE 811 907 980",
    paymentInstructions: "Bank transfer to AgentLedger Demo GmbH\nIBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX",
    paymentTermsDays: 30,
    logo: logoPng(),
  });
  const catalog = await createCatalog();
  const customer = await createCustomer("stark", catalog.plans.growth.id);
  customerId = customer.id;
  await updateCustomer(admin, customer.id, {
    legalName: "Stark Logistics GmbH",
    billingAddress: "Hafenstraße 12\n20457 Hamburg\nGermany",
    taxId: "DE 123 456 789",
    billingEmail: "ap@stark.example",
    poNumber: "PO-2026-0042",
    taxCountry: "DE",
  });
  await createTaxRate(admin, { country: "DE", category: "standard", name: "VAT", ratePercent: "19", effectiveFrom: "2020-01-01T00:00:00Z", source: "manual" });
  await insertEvents([
    { customerId: customer.id, type: "agent.action", at: new Date("2026-10-02T12:00:00Z"), quantity: "1507" },
    ...Array.from({ length: 101 }, () => ({ customerId: customer.id, type: "agent.conversation", at: new Date("2026-10-03T12:00:00Z") })),
    { customerId: customer.id, type: "llm.call", at: new Date("2026-10-04T12:00:00Z"), cost: "10.123456" },
  ]);
  await generateDrafts("2026-10", admin, [customer.id]);
  invoiceId = (await db.invoice.findFirstOrThrow({ where: { customerId: customer.id, period: "2026-10" } })).id;
  await addAdjustment(invoiceId, { amount: "-5.00", reason: "Goodwill for the 14 October outage", description: "Service credit" }, admin);
});

afterAll(() => {
  vi.useRealTimers();
});

describe("issue and due dates", () => {
  it("a draft has no issue or due date; finalizing sets them from the payment terms in the organization's time zone", async () => {
    expect(await getInvoice(admin, invoiceId)).toMatchObject({ issueDate: null, dueDate: null, paymentTermsDays: 30, billTo: { name: "Stark Logistics GmbH" } });
    // 23:30 UTC on 4 November is already 5 November in Berlin.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-04T23:30:00Z"));
    await finalizeInvoice(invoiceId, admin);
    vi.useRealTimers();
    const invoice = await getInvoice(admin, invoiceId);
    expect(invoice).toMatchObject({ issueDate: "2026-11-05", dueDate: "2026-12-05", paymentTermsDays: 30 });
    // Billing details are the ones it was issued with.
    await updateCustomer(admin, customerId, { legalName: "Renamed Later AG", paymentTermsDays: 15 });
    expect((await getInvoice(admin, invoiceId)).billTo).toMatchObject({ name: "Stark Logistics GmbH", poNumber: "PO-2026-0042" });
    // The database freezes them with the amounts (migration 20261205100000_invoice_documents_taxes).
    await expect(db.invoice.update({ where: { id: invoiceId }, data: { dueDate: new Date("2027-01-31T00:00:00Z") } })).rejects.toThrow(/frozen/);
  });

  it("a customer's own terms win over the organization's", async () => {
    const other = await createCustomer("wayne", (await db.pricePlan.findFirstOrThrow({ where: { key: "growth" } })).id);
    await updateCustomer(admin, other.id, { paymentTermsDays: 15 });
    await generateDrafts("2026-10", admin, [other.id]);
    const draft = await db.invoice.findFirstOrThrow({ where: { customerId: other.id } });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-20T10:00:00Z"));
    await finalizeInvoice(draft.id, admin);
    vi.useRealTimers();
    expect(await getInvoice(admin, draft.id)).toMatchObject({ issueDate: "2026-12-20", dueDate: "2027-01-04", paymentTermsDays: 15, billTo: { name: "WAYNE" } });
  });
});

describe("issuer logo", () => {
  it("refuses what is not a readable PNG or JPEG, or is too big, naming the field, and keeps the stored logo", async () => {
    const before = (await db.organization.findUniqueOrThrow({ where: { id: 1 } })).logo;
    const pngHeader = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const [bad, message] of [
      [`data:image/png;base64,${Buffer.from("GIF89a not a png").toString("base64")}`, "not a PNG"],
      [`data:image/png;base64,${Buffer.concat([pngHeader, Buffer.from("truncated")]).toString("base64")}`, "could not be read"],
      [`data:image/jpeg;base64,${Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(300 * 1024)]).toString("base64")}`, "at most 256 KB"],
    ] as const) {
      await expect(updateSettings(admin, { logo: bad })).rejects.toMatchObject({ status: 400, details: [{ path: "logo", message: expect.stringContaining(message) }] });
    }
    expect((await db.organization.findUniqueOrThrow({ where: { id: 1 } })).logo).toEqual(before);
  });
  it("an issued invoice keeps the logo it was issued with; a later logo prints on drafts only", async () => {
    const issuedLogo = (await invoiceIssuer(invoiceId)).logo!;
    const render = async () => invoicePdf(await getInvoice(admin, invoiceId), await invoiceIssuer(invoiceId), { creationDate: CREATED });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(CREATED);
    const before = await render();
    await updateSettings(admin, { logo: logoPng([180, 30, 40]) });
    const after = await render();
    vi.useRealTimers();
    const current = Buffer.from((await db.organization.findUniqueOrThrow({ where: { id: 1 } })).logo!);
    expect(current.equals(issuedLogo)).toBe(false);
    expect((await invoiceIssuer(invoiceId)).logo!.equals(issuedLogo)).toBe(true);
    expect((await invoiceIssuer()).logo!.equals(current)).toBe(true); // drafts print the current logo
    expect(after.equals(before)).toBe(true);
    await updateSettings(admin, { logo: logoPng() });
    // Both logos are kept once each, however many invoices print them.
    expect(await db.issuerLogo.count()).toBe(1);
  });
});

describe("invoice PDF", () => {
  let pdf: Buffer;
  beforeAll(async () => {
    // Renamed after issue: the issued invoice keeps the name it was issued under.
    await updateSettings(admin, { legalName: "Renamed After Issue GmbH" });
    pdf = await invoicePdf(await getInvoice(admin, invoiceId), await invoiceIssuer(invoiceId), { creationDate: CREATED });
  });

  it("says who bills whom, when it is due, what each line costs and the totals, without internal keys", async () => {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text.replace(/[ \t]+/g, " ");
    await parser.destroy();
    for (const expected of [
      "AgentLedger Demo GmbH",
      "Tax ID: DE 811 907 980",
      "Stark Logistics GmbH",
      "Hafenstraße 12",
      "PO-2026-0042",
      "INV-000001",
      "5 November 2026",
      "5 December 2026",
      "1–31 October 2026",
      "Net 30 days",
      "Units 1–1,000 1,000 $0.04 $40.00",
      "Units 1,001 and above 507 $0.03 $15.21",
      "avg $0.036636",
      "All units at the price of band 101 and above 101 $0.25 $25.25",
      "cost × 1.2",
      "True-up to minimum commitment".toUpperCase(),
      "Service credit",
      "Subtotal $100.00",
      "Adjustments -$5.00",
      "Tax $18.05",
      "VAT 19% (standard, DE) on $95.00 $18.05",
      "Total due (USD) $113.05",
      "IBAN DE89 3704 0044 0532 0130 00",
      "Invoice INV-000001 · page 1 of 1",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("(stark)");
    expect(text).not.toContain("Renamed After Issue");
    expect(text).not.toContain("exclusive");
    expect(text).not.toContain("Balance due");
  });

  it("prints Credited and Balance due only when given", async () => {
    const parser = new PDFParse({ data: new Uint8Array(await invoicePdf(await getInvoice(admin, invoiceId), await invoiceIssuer(invoiceId), { creationDate: CREATED, credited: "13.05", balanceDue: "100.00" })) });
    const text = (await parser.getText()).text.replace(/[ \t]+/g, " ");
    await parser.destroy();
    expect(text).toContain("Credited -$13.05");
    expect(text).toContain("Balance due (USD) $100.00");
  });

  it("page 1 matches the reviewed baseline (poppler pdftoppm, pixel tolerance)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invoice-pdf-"));
    fs.writeFileSync(path.join(dir, "invoice.pdf"), pdf);
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path.join(dir, "invoice.pdf"), path.join(dir, "page")]);
    const rendered = fs.readFileSync(path.join(dir, "page.png"));
    if (process.env.UPDATE_PDF_BASELINE === "1") {
      fs.mkdirSync(path.dirname(BASELINE), { recursive: true });
      fs.writeFileSync(BASELINE, rendered);
    }
    const actual = PNG.sync.read(rendered);
    const expected = PNG.sync.read(fs.readFileSync(BASELINE));
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    const diff = new PNG({ width: actual.width, height: actual.height });
    const changed = pixelmatch(actual.data, expected.data, diff.data, actual.width, actual.height, { threshold: 0.1 });
    if (changed > 0) fs.writeFileSync(path.join(dir, "diff.png"), PNG.sync.write(diff));
    // Anti-aliasing may differ slightly between poppler builds; a moved or missing block changes far more pixels.
    expect(changed, `${changed} pixels differ; see ${path.join(dir, "diff.png")}`).toBeLessThan(actual.width * actual.height * 0.002);
  });
});
