// An admin sets the organization budget and its alert ladder on Admin → Settings (issue 21): a bad step is refused
// beside its field with nothing saved; a good one is saved (checked in the database) and audited.
import pg from "pg";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}
const stored = () => query<{ budget: string | null; ladder: number[] }>("SELECT monthly_budget::text AS budget, budget_thresholds AS ladder FROM organizations WHERE id = 1").then((r) => r[0]!);

test("an admin sets the organization budget and ladder; a bad step is refused", async ({ page }) => {
  const before = await stored();
  await loginAs(page, "admin");
  await page.goto("/admin/settings");
  const form = page.getByRole("form", { name: "Organization budget" });
  await test.step("a zero step is refused beside its field; nothing is saved", async () => {
    await form.getByLabel("Monthly budget").fill("250000");
    await form.getByLabel("Threshold 1 percent").fill("0");
    await form.getByRole("button", { name: "Save organization budget" }).click();
    await expect(form.getByText(/Too small/)).toBeVisible();
    expect(await stored()).toEqual(before);
  });
  await test.step("a ladder of 60 and 95 percent is saved and audited", async () => {
    await form.getByRole("button", { name: "Reset to the default ladder" }).click();
    while ((await form.getByRole("button", { name: /^Remove threshold/ }).count()) > 2) await form.getByRole("button", { name: "Remove threshold 1" }).click();
    await form.getByLabel("Threshold 1 percent").fill("60");
    await form.getByLabel("Threshold 2 percent").fill("95");
    await form.getByRole("button", { name: "Save organization budget" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Organization budget saved" })).toBeVisible();
    await expect.poll(stored).toEqual({ budget: "250000.00", ladder: [60, 95] });
    const [audit] = await query<{ actor: string; after: { monthlyBudget: string; budgetThresholds: number[] } }>("SELECT actor, after FROM audit_logs WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1");
    expect(audit).toMatchObject({ after: { budgetThresholds: [60, 95] } });
  });
  await test.step("after a reload the form shows what was saved", async () => {
    await page.reload();
    await expect(form.getByLabel("Monthly budget")).toHaveValue("250000.00");
    await expect(form.getByLabel("Threshold 2 percent")).toHaveValue("95");
  });
  await test.step("put back as it was (other specs share the database)", async () => {
    await form.getByLabel("Monthly budget").fill(before.budget ?? "");
    await form.getByRole("button", { name: "Reset to the default ladder" }).click();
    await form.getByRole("button", { name: "Save organization budget" }).click();
    await expect.poll(stored).toEqual({ budget: before.budget, ladder: [] });
  });
});
