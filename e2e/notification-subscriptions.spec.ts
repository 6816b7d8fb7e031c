// A user subscribes to notifications in the settings screen (issue 21): the choice is saved as their own email
// subscriptions (checked in the database), survives a reload, and can be taken back.
import pg from "pg";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

async function subscriptionsOf(email: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ item: string }>(
      `SELECT s.kind || ':' || coalesce(d.code, 'ORG') AS item FROM notification_subscriptions s
       JOIN webhooks w ON w.id = s.channel_id JOIN users u ON u.id = w.user_id LEFT JOIN departments d ON d.id = s.department_id
       WHERE u.email = $1 AND w.type = 'email' AND w.url = 'mailto:' || u.email ORDER BY 1`,
      [email],
    );
    return rows.map((r) => r.item);
  } finally {
    await client.end();
  }
}

async function optOutsOf(email: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ item: string }>(
      `SELECT o.kind || ':' || d.code AS item FROM notification_opt_outs o JOIN users u ON u.id = o.user_id
       JOIN departments d ON d.id = o.department_id WHERE u.email = $1 ORDER BY 1`,
      [email],
    );
    return rows.map((r) => r.item);
  } finally {
    await client.end();
  }
}

// ops owns Customer Support in the demo: its budget alerts arrive by default (not stored as a subscription), and
// unticking them is stored as an opt-out.
test("a department owner keeps their default budget alerts, subscribes to a weekly digest, then opts out of both", async ({ page }) => {
  await loginAs(page, "ops");
  await page.getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  await expect(page.getByText("Sent to ops@demo.agentledger.dev")).toBeVisible();
  await expect(page.getByText(/As the owner of .*SUPPORT/)).toBeVisible();
  const weekly = page.getByRole("checkbox", { name: "Weekly spend digest: Organization" });
  const budget = page.getByRole("checkbox", { name: "Budget thresholds: Customer Support (SUPPORT)" });
  await expect(budget).toBeChecked();
  await weekly.check();
  await page.getByRole("button", { name: "Save subscriptions" }).click();
  await expect(page.getByTestId("toast-success").filter({ hasText: "Subscriptions saved" })).toBeVisible();
  expect(await subscriptionsOf("ops@demo.agentledger.dev")).toEqual(["digest.weekly:ORG"]);
  expect(await optOutsOf("ops@demo.agentledger.dev")).not.toContain("budget:SUPPORT");

  await page.reload();
  await expect(weekly).toBeChecked();
  await expect(budget).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Daily spend digest: Organization" })).not.toBeChecked();

  await weekly.uncheck();
  await budget.uncheck();
  await page.getByRole("button", { name: "Save subscriptions" }).click();
  await expect.poll(() => subscriptionsOf("ops@demo.agentledger.dev")).toEqual([]);
  expect(await optOutsOf("ops@demo.agentledger.dev")).toContain("budget:SUPPORT");
  await page.reload();
  await expect(budget).not.toBeChecked();
});
