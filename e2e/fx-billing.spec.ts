// Invoices in the customer's billing currency (issue 20): an admin sets a customer's billing currency (a bad code is
// refused beside the field), rates are stored, the period's draft is issued in GBP and shows the rate it used.
import { expect, loginAs, test } from "./fixtures";

test("an admin bills a customer in GBP and the invoice shows the exchange rate used", async ({ page }) => {
  await loginAs(page, "admin");

  await test.step("set initech's billing currency on Admin → Customers", async () => {
    await page.goto("/admin/customers");
    await page.getByRole("row", { name: /initech/ }).getByRole("button", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit customer" });
    await form.getByLabel("Billing currency").fill("XYZ");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(form.getByText("Not an active ISO 4217 currency")).toBeVisible();
    await form.getByLabel("Billing currency").fill("GBP");
    await form.getByLabel("FX rate for usage in other currencies").selectOption("period_end");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("row", { name: /initech/ })).toContainText("GBP");
  });

  let id = 0;
  await test.step("store October's last rates and generate its drafts", async () => {
    const rates = [
      { base: "EUR", quote: "USD", date: "2026-10-30", rate: "1.0831", source: "manual" },
      { base: "EUR", quote: "GBP", date: "2026-10-30", rate: "0.86417", source: "manual" },
    ];
    const origin = new URL(page.url()).origin;
    expect((await page.request.put("/api/v1/fx-rates", { data: { rates }, headers: { origin } })).status()).toBe(200);
    expect((await page.request.post("/api/v1/invoices/drafts", { data: { period: "2026-10" }, headers: { origin } })).status()).toBe(200);
    const list = await (await page.request.get("/api/v1/invoices?period=2026-10&customer=initech")).json();
    id = list.invoices[0].id;
  });

  await test.step("the draft is in GBP, its total is the sum of its lines, and it names the rate", async () => {
    const invoice = await (await page.request.get(`/api/v1/invoices/${id}`)).json();
    expect(invoice.currency).toBe("GBP");
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(invoice.lines.reduce((n: number, l: { amount: string }) => n + cents(l.amount), 0)).toBe(cents(invoice.total));
    await page.goto(`/invoices/${id}`);
    const card = page.getByTestId("invoice-fx");
    await expect(card).toContainText("converted at the rate of the period's last day");
    await expect(card).toContainText(/1 USD = 0\.79\d+ GBP \(cross rate dated 2026-10-30 for 2026-10-31\)/);
    await expect(page.getByTestId("invoice-total")).toContainText("£");
  });
});
