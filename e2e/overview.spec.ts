// Every role signs in and sees the Overview; its headline numbers equal an independent SQL query over the raw
// events of the same local days. Leaves a screenshot per role in screenshots/ for a reviewer.
import fs from "node:fs";
import pg from "pg";
import { DEMO_USERS } from "../prisma/demo-users";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

type Raw = { from: string; to: string; cost: string; events: string; agents: string };

/** The 30 complete local days before today: other specs may ingest events "now", which must not move these numbers. */
async function rawHeadline(): Promise<Raw> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<Raw>(`
      WITH tz AS (SELECT time_zone FROM organizations WHERE id = 1),
           r AS (SELECT (now() AT TIME ZONE tz.time_zone)::date - 30 AS d0, (now() AT TIME ZONE tz.time_zone)::date - 1 AS d1 FROM tz)
      SELECT to_char(r.d0, 'YYYY-MM-DD') AS "from", to_char(r.d1, 'YYYY-MM-DD') AS "to",
             coalesce(sum(e.cost), 0)::text AS cost, count(e.*)::text AS events, count(DISTINCT e.agent_id)::text AS agents
      FROM r CROSS JOIN tz LEFT JOIN usage_events e ON (e.timestamp AT TIME ZONE tz.time_zone)::date BETWEEN r.d0 AND r.d1
      GROUP BY r.d0, r.d1`);
    return rows[0]!;
  } finally {
    await client.end();
  }
}

const money = (amount: string) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(Number(amount));
const count = (n: string) => new Intl.NumberFormat("en-US").format(Number(n));

for (const { role } of DEMO_USERS) {
  test(`${role} signs in and the Overview headline equals the raw events`, async ({ page }) => {
    const raw = await rawHeadline();
    expect(Number(raw.events)).toBeGreaterThan(0);
    await test.step("sign in", () => loginAs(page, role));
    await test.step("open the Overview for the last 30 complete days", async () => {
      await page.goto(`/?from=${raw.from}&to=${raw.to}`);
      await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    });
    await test.step("headline numbers match SQL over usage_events", async () => {
      await expect(page.getByTestId("overview-spend")).toHaveText(money(raw.cost));
      await expect(page.getByTestId("overview-events")).toHaveText(count(raw.events));
      await expect(page.getByTestId("overview-active-agents")).toHaveText(count(raw.agents));
    });
    fs.mkdirSync("screenshots", { recursive: true });
    await page.screenshot({ path: `screenshots/overview-${role}.png`, fullPage: true });
  });
}

test("a signed-out visitor is sent to the login page", async ({ page }) => {
  await page.goto("/usage");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});
