// Journey: an operations manager finds the agent with the worst escalation rate by sorting the Workload table, and
// the row on top is the one an independent SQL query over the raw events names (the count alone points elsewhere).
import fs from "node:fs";
import pg from "pg";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

type Rate = { from: string; to: string; key: string; name: string; escalations: number; tasks: number };

/** Per agent over the 30 complete local days before today: agent tasks and escalations, straight from usage_events. */
async function rawRates(): Promise<Rate[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<Rate>(`
      WITH tz AS (SELECT time_zone FROM organizations WHERE id = 1),
           r AS (SELECT (now() AT TIME ZONE tz.time_zone)::date - 30 AS d0, (now() AT TIME ZONE tz.time_zone)::date - 1 AS d1 FROM tz)
      SELECT to_char(r.d0, 'YYYY-MM-DD') AS "from", to_char(r.d1, 'YYYY-MM-DD') AS "to", a.key, a.name,
             count(*) FILTER (WHERE e.task_status = 'escalated')::int AS escalations, count(*)::int AS tasks
      FROM r CROSS JOIN tz JOIN usage_events e ON (e.timestamp AT TIME ZONE tz.time_zone)::date BETWEEN r.d0 AND r.d1
      JOIN agents a ON a.id = e.agent_id
      WHERE e.handled_by = 'agent'
      GROUP BY r.d0, r.d1, a.key, a.name`);
    return rows;
  } finally {
    await client.end();
  }
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

test("finding the agent with the worst escalation rate by sorting", async ({ page }) => {
  const raw = await rawRates();
  expect(raw.length).toBeGreaterThan(1);
  const rate = (r: Rate) => r.escalations / r.tasks;
  const worst = Math.max(...raw.map(rate));
  const worstAgents = raw.filter((r) => rate(r) === worst).map((r) => r.name);
  const { from, to } = raw[0]!;

  await loginAs(page, "ops");
  await page.goto(`/workload?groupBy=agent&from=${from}&to=${to}`);
  const table = page.getByRole("region", { name: "Workload by group" });
  await expect(table.locator("tbody tr").first()).toBeVisible();

  await test.step("sorting by escalation rate puts the worst agent on top", async () => {
    const header = table.getByRole("columnheader", { name: "Escalation rate" });
    await header.getByRole("button").click();
    await expect(header).toHaveAttribute("aria-sort", "descending");
    const headers = await table.getByRole("columnheader").allTextContents();
    const rateColumn = headers.findIndex((h) => h.startsWith("Escalation rate"));
    const top = table.locator("tbody tr").first().locator("td");
    expect(worstAgents).toContain((await top.nth(0).textContent())!.trim());
    await expect(top.nth(rateColumn)).toHaveText(percent(worst));
  });

  await test.step("the table's totals row holds the overall rate", async () => {
    const escalations = raw.reduce((n, r) => n + r.escalations, 0);
    const tasks = raw.reduce((n, r) => n + r.tasks, 0);
    const headers = await table.getByRole("columnheader").allTextContents();
    const rateColumn = headers.findIndex((h) => h.startsWith("Escalation rate"));
    await expect(table.locator("tfoot td").nth(rateColumn)).toHaveText(percent(escalations / tasks));
  });

  await test.step("sorting again shows the lowest rate first; the CSV follows the shown order", async () => {
    await table.getByRole("columnheader", { name: "Escalation rate" }).getByRole("button").click();
    await expect(table.getByRole("columnheader", { name: "Escalation rate" })).toHaveAttribute("aria-sort", "ascending");
    const best = Math.min(...raw.map(rate));
    const headers = await table.getByRole("columnheader").allTextContents();
    const rateColumn = headers.findIndex((h) => h.startsWith("Escalation rate"));
    await expect(table.locator("tbody tr").first().locator("td").nth(rateColumn)).toHaveText(percent(best));
    const download = page.waitForEvent("download");
    await table.getByRole("button", { name: "Download CSV" }).click();
    const text = fs.readFileSync(await (await download).path(), "utf8");
    const firstRecord = text.split("\r\n")[1]!;
    const shownFirst = (await table.locator("tbody tr").first().locator("td").nth(0).textContent())!.trim();
    expect(firstRecord.startsWith(shownFirst.includes(",") ? `"${shownFirst}` : shownFirst)).toBe(true);
  });
});
