// Rate card editor (issue 25): an admin publishes a new version of the Starter card from this month, changes its
// conversations charge (price and tax category) with a field error on the way, and this month's draft of a Starter
// customer is priced by it, while the version that priced finalized invoices stays frozen.
import { expect, loginAs, test } from "./fixtures";

/** The first instant of the current month in the demo organization's time zone (America/New_York), as the form wants it. */
function monthStartNewYork(): { period: string; local: string } {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York", year: "numeric", month: "2-digit" }).formatToParts(new Date());
  const year = parts.find((p) => p.type === "year")!.value;
  const month = parts.find((p) => p.type === "month")!.value;
  return { period: `${year}-${month}`, local: `${year}-${month}-01T00:00` };
}

// The browser's time zone is the organization's, so the form's local midnight is the period's start.
test.use({ timezoneId: "America/New_York" });

test("an admin publishes a new Starter version, edits a charge's price and tax category, and this month's draft uses it", async ({ page }) => {
  const { period, local } = monthStartNewYork();
  await loginAs(page, "admin");
  await page.goto("/admin/rate-cards");
  const versions = page.getByRole("table", { name: "Rate card versions" });
  await expect(versions).toContainText("starter");

  await test.step("open the latest Starter version and create the next one from this month", async () => {
    const starter = versions.locator("tbody tr").filter({ has: page.locator("code", { hasText: /^starter$/ }) }).last();
    await starter.getByRole("button", { name: /^Open starter v\d+$/ }).click();
    const form = page.getByRole("form", { name: "New version" });
    await form.getByLabel("Name").fill("Starter 2");
    await form.getByLabel("Effective from").fill(local);
    await form.getByRole("button", { name: /^Create version \d+ from this one$/ }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Rate card created" })).toBeVisible();
    await expect(page.getByRole("heading", { name: /Starter 2 \(starter v\d+\)/ })).toBeVisible();
  });

  await test.step("edit the conversations charge: a bad price is refused on its field, then price and tax category are saved", async () => {
    const charges = page.getByRole("table", { name: /Charges of starter v\d+/ });
    await charges.getByTestId("charge-conversations").getByRole("button", { name: "Edit charge conversations" }).click();
    const form = page.getByRole("form", { name: "Edit charge on conversations" });
    await form.getByLabel("Unit price").fill("abc");
    await form.getByRole("button", { name: "Save charge" }).click();
    await expect(form.getByText('must be a decimal number such as "12.34"')).toBeVisible();
    await form.getByLabel("Unit price").fill("0.55");
    await form.getByLabel("Tax category").selectOption("reduced");
    await form.getByRole("button", { name: "Save charge" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Rate card saved" })).toBeVisible();
    await expect(charges.getByTestId("charge-conversations")).toContainText("0.55 per unit");
    await expect(charges.getByTestId("charge-conversations")).toContainText("reduced");
  });

  await test.step("this month's draft for a Starter customer is priced by the new version", async () => {
    const origin = new URL(page.url()).origin;
    expect((await page.request.post("/api/v1/invoices/drafts", { data: { period }, headers: { origin } })).status()).toBe(200);
    const list = await (await page.request.get(`/api/v1/invoices?period=${period}&customer=wonka&status=draft`)).json();
    const invoice = await (await page.request.get(`/api/v1/invoices/${list.invoices[0].id}`)).json();
    const line = invoice.lines.find((l: { meter: { key: string } | null }) => l.meter?.key === "conversations");
    expect(line).toMatchObject({ unitPrice: "0.55", taxCategory: "reduced", usageRef: expect.objectContaining({ plan: expect.stringMatching(/^starter@v\d+$/) }) });
    expect(line.usageRef.plan).not.toBe("starter@v1");
    await page.goto(`/invoices/${list.invoices[0].id}`);
    await expect(page.getByRole("table", { name: "Invoice lines" })).toContainText(/\$0\.55\b/);
  });
});
