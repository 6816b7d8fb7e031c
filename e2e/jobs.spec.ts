// Admin Jobs page: a failed background job is listed with its error; Retry puts it back in the queue, the app's
// worker runs it, and the page shows it completed. The retry is audited.
import pg from "pg";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

test("admin sees a failed job with its error and retries it", async ({ page }) => {
  const db = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await db.connect();
  try {
    // A connector run that failed for good (a connector that no longer exists: its retry finds nothing to do).
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO pgboss.job (name, data, state, retry_limit, retry_count, started_on, completed_on, policy, output)
       VALUES ('connectors.run', '{"connectorId": 987654}', 'failed', 0, 0, now() - interval '1 minute', now(), 'standard',
               '{"message": "e2e: provider answered HTTP 503"}') RETURNING id::text`,
    );
    const id = rows[0]!.id;

    await loginAs(page, "admin");
    await test.step("the failed job is listed with its error", async () => {
      await page.goto("/admin/jobs");
      await expect(page.getByRole("heading", { name: "Jobs" })).toBeVisible();
      await page.getByRole("group", { name: "Job state" }).getByRole("button", { name: /^Failed/ }).click();
      const row = page.getByRole("row").filter({ hasText: "e2e: provider answered HTTP 503" });
      await expect(row).toContainText("connectors.run");
      await expect(row).toContainText("1 of 1");
    });

    await test.step("Retry queues it again; the worker completes it", async () => {
      await page.getByRole("button", { name: `Retry connectors.run job ${id}` }).click();
      await expect(page.getByText("e2e: provider answered HTTP 503")).toHaveCount(0, { timeout: 15_000 });
      await page.getByRole("group", { name: "Job state" }).getByRole("button", { name: /^Completed/ }).click();
      await expect(page.getByRole("row").filter({ hasText: "connectors.run" }).filter({ hasText: "2 of 2" })).toBeVisible({ timeout: 30_000 });
      const audit = await db.query("SELECT actor FROM audit_logs WHERE action = 'job.retry' AND entity_id = $1", [id]);
      expect(audit.rows).toHaveLength(1);
    });
  } finally {
    await db.end();
  }
});
