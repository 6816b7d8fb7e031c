// Outcome-based pricing: finance defines an outcome meter (with the form's field errors on a contradiction), and the
// demo's outcome-priced customer's invoice shows the outcomes delivered and the agents' escalation rate.
import { expect, loginAs, test } from "./fixtures";

test("finance creates an outcome meter and reads outcomes delivered on an invoice", async ({ page }) => {
  await loginAs(page, "finance");
  await page.goto("/admin/meters");
  const key = `resolved_${Date.now()}`;
  const form = page.getByRole("form", { name: "New meter" });

  await test.step("an agent's tasks cannot be handled by a human: the field says so", async () => {
    await form.getByLabel("Key").fill(key);
    await form.getByLabel("Counts").selectOption("tasks");
    await form.getByLabel("Name", { exact: true }).fill("Cases resolved by the resolver");
    await form.getByLabel("Unit").fill("case");
    await form.getByLabel("Aggregation").selectOption("count");
    await form.getByLabel("Task type (tasks only)").selectOption("case_resolution");
    await form.getByLabel("Handled by (tasks only)").selectOption("human");
    await form.getByLabel("Agent (tasks only)").selectOption("support-resolver");
    await form.getByLabel("Statuses counted (tasks only)").selectOption(["completed"]);
    await form.getByRole("button", { name: "Create meter" }).click();
    await expect(form).toContainText("A meter of one agent's tasks counts tasks agents handled");
  });

  await test.step("fixed, it is created and listed with its filters", async () => {
    await form.getByLabel("Handled by (tasks only)").selectOption("agent");
    await form.getByRole("button", { name: "Create meter" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Meter created" })).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(key) })).toContainText("case_resolution · agent · support-resolver · completed");
  });

  await test.step("Wayne's draft for last month lists the resolved cases with the escalation rate", async () => {
    const now = new Date();
    const period = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString().slice(0, 7);
    // Session mutations must come from this site (the Origin check), as the page's own requests do.
    const origin = new URL(page.url()).origin;
    expect((await page.request.post("/api/v1/invoices/drafts", { data: { period }, headers: { origin } })).status()).toBe(200);
    const { invoices } = await (await page.request.get(`/api/v1/invoices?period=${period}&customer=wayne`)).json();
    await page.goto(`/invoices/${invoices[0].id}`);
    await expect(page.getByTestId("invoice-line-outcome")).toContainText(/Outcomes delivered: [\d,]+ case — case_resolution, handled by agent, status completed\. Escalation rate [\d.]+ %/);
  });
});
