// Billing journey: finance generates last month's drafts, reviews one, adds a credit, finalizes it and downloads
// the PDF, whose text must show the new total, then issues a credit note against it. Viewers can read invoices but
// not change them.
import fs from "node:fs";
import { PDFParse } from "pdf-parse";
import { expect, loginAs, test } from "./fixtures";

const dollars = (text: string) => Number(text.replace(/[$,]/g, ""));

test("finance reviews a draft, adds an adjustment, finalizes it, downloads the PDF and issues a credit note", async ({ page }) => {
  await loginAs(page, "finance");
  await page.goto("/invoices");

  await test.step("generate drafts for last month", async () => {
    await page.getByRole("button", { name: /Generate drafts for/ }).click();
    // Rating takes a few seconds on a loaded machine: filter once the drafts exist (a filter change mid-run re-renders the list).
    await expect(page.getByTestId("toast-success").filter({ hasText: "Draft invoices generated" })).toBeVisible({ timeout: 30_000 });
    await page.getByLabel("Status", { exact: true }).selectOption("draft");
    await expect(page.getByRole("link", { name: /Draft #\d+/ }).first()).toBeVisible();
    await page.getByRole("link", { name: /Draft #\d+/ }).first().click();
  });

  let total = 0;
  await test.step("review the draft and add a credit note", async () => {
    await expect(page.getByRole("table", { name: "Invoice lines" })).toContainText("Usage");
    total = dollars(await page.getByTestId("invoice-total").innerText());
    await page.getByLabel("Adjustment amount").fill("-25.00");
    await page.getByLabel("Adjustment reason").fill("Goodwill credit for onboarding delay");
    await page.getByRole("button", { name: "Add adjustment" }).click();
    await expect(page.getByRole("table", { name: "Invoice lines" })).toContainText("Goodwill credit for onboarding delay");
    await expect(page.getByTestId("invoice-adjustments")).toHaveText("-$25.00");
    await expect.poll(async () => dollars(await page.getByTestId("invoice-total").innerText())).toBeCloseTo(total - 25, 2);
  });

  let number = "";
  await test.step("finalize: the invoice gets a number and can no longer be adjusted", async () => {
    await page.getByRole("button", { name: "Finalize" }).click();
    await page.getByRole("alertdialog", { name: /Finalize this invoice/ }).getByRole("button", { name: "Finalize invoice" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Invoice finalized" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/INV-\d{6}/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("finalized");
    await expect(page.getByLabel("Adjustment amount")).toHaveCount(0);
    number = /INV-\d{6}/.exec(await page.getByRole("heading", { level: 1 }).innerText())![0];
  });

  await test.step("download the PDF and find the number and total in it", async () => {
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download PDF" }).click();
    const file = await (await download).path();
    const parser = new PDFParse({ data: new Uint8Array(fs.readFileSync(file)) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain(`Invoice ${number}`);
    const expected = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(total - 25);
    expect(text).toMatch(new RegExp(`Total due \\(USD\\)\\s+${expected.replace(/[$.]/g, "\\$&")}`));
  });

  await test.step("issue a credit note: the invoice shows what was credited and the balance due", async () => {
    const form = page.getByRole("region", { name: "Issue a credit note" });
    await form.getByLabel("Amount (USD)").fill("10.00");
    await form.getByLabel("Reason").fill("Duplicate actions billed");
    await form.getByRole("button", { name: "Issue credit note" }).click();
    await page.getByRole("alertdialog", { name: new RegExp(`Credit \\$10\\.00 on ${number}`) }).getByRole("button", { name: "Issue credit note" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Credit note issued" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Credit notes" })).toContainText(/CN-\d{6}/);
    await expect(page.getByRole("table", { name: "Credit notes" })).toContainText("Duplicate actions billed");
    await expect(page.getByTestId("invoice-credited")).toHaveText("$10.00");
    await expect.poll(async () => dollars(await page.getByTestId("invoice-balance-due").innerText())).toBeCloseTo(total - 35, 2);
    await expect(page.getByRole("button", { name: "Void" })).toHaveCount(0);
  });
});

test("a viewer reads invoices but cannot generate or change them", async ({ page }) => {
  await loginAs(page, "viewer");
  await page.goto("/invoices");
  await expect(page.getByRole("heading", { name: "Invoices" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Generate drafts/ })).toHaveCount(0);
  expect((await page.request.get("/api/v1/invoices")).status()).toBe(200);
  expect((await page.request.post("/api/v1/invoices/drafts", { data: { period: "2026-01" } })).status()).toBe(403);
});
