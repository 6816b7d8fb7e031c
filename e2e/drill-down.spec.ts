// Drill-down and saved views (issue 18): from the Overview's biggest day to the top agent's events, whose listed
// costs add up to the total shown (and to SQL over raw events); agent vs human for one task type over 90 days on
// Workload; saving a view, sharing its link with another user of the organization, and a landing view.
import type { Browser, Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl, expect, loginAs, loginWith, test } from "./fixtures";

async function sql<T extends object>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T & pg.QueryResultRow>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const money = (amount: string | number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(amount));
const count = (n: string | number) => new Intl.NumberFormat("en-US").format(Number(n));
const LOCAL_DAY = `(e.timestamp AT TIME ZONE (SELECT time_zone FROM organizations WHERE id = 1))::date`;

/** Session mutations must carry the site's Origin (CSRF check), as a browser's fetch would. */
const sameOrigin = (page: Page) => ({ origin: new URL(page.url()).origin });

/** Clicks "Load older events" until every matching event is listed. */
async function loadAllEvents(page: Page) {
  const more = page.getByRole("button", { name: "Load older events" });
  await expect(page.getByTestId("events-listed")).toBeVisible();
  while (await more.isVisible()) {
    await more.click();
    await expect(page.getByRole("button", { name: "Loading…" })).toHaveCount(0);
  }
  await expect(page.getByTestId("events-listed")).toContainText("all matching events listed");
  // The table shows 25 rows a page; past that, show them all so every listed row can be counted.
  const showAll = page.getByRole("button", { name: /^Show all \d+ rows$/ });
  if (await showAll.isVisible()) await showAll.click();
}

test("finding the biggest cost driver: Overview → biggest day → top agent → its events, which add up", async ({ page }) => {
  // The 30 complete local days before today: other specs may ingest events "now".
  const [range] = await sql<{ from: string; to: string }>(`
    SELECT to_char((now() AT TIME ZONE time_zone)::date - 30, 'YYYY-MM-DD') AS "from", to_char((now() AT TIME ZONE time_zone)::date - 1, 'YYYY-MM-DD') AS "to"
    FROM organizations WHERE id = 1`);
  const days = await sql<{ day: string; cost: string }>(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day, coalesce((SELECT sum(e.cost) FROM usage_events e WHERE ${LOCAL_DAY} = d), 0)::text AS cost
     FROM generate_series($1::date, $2::date, '1 day') AS d ORDER BY d`,
    [range!.from, range!.to],
  );
  const biggest = days.reduce((best, d, i) => (Number(d.cost) > Number(days[best]!.cost) ? i : best), 0);
  const day = days[biggest]!.day;
  const [driver] = await sql<{ key: string; name: string; cost: string; events: string }>(
    `SELECT a.key, a.name, sum(e.cost)::text AS cost, count(*)::text AS events FROM usage_events e JOIN agents a ON a.id = e.agent_id
     WHERE ${LOCAL_DAY} = $1::date GROUP BY a.key, a.name ORDER BY sum(e.cost) DESC, a.key LIMIT 1`,
    [day],
  );

  await loginAs(page, "finance");
  await page.goto(`/?from=${range!.from}&to=${range!.to}`);
  const chart = page.getByRole("group", { name: /^Daily spend/ });
  await expect(chart).toBeVisible();

  await test.step("the legend hides and shows the series without leaving the page", async () => {
    const spend = page.getByRole("button", { name: "Spend", exact: true });
    await spend.click();
    await expect(spend).toHaveAttribute("aria-pressed", "false");
    await spend.click();
    await expect(spend).toHaveAttribute("aria-pressed", "true");
    expect(new URL(page.url()).pathname).toBe("/");
  });

  await test.step("the keyboard picks the biggest day's bar and Enter narrows the Overview to that day", async () => {
    await chart.focus();
    await page.keyboard.press("Home");
    for (let i = 0; i < biggest; i++) await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("chart-focus")).toContainText(`Spend, `);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`from=${day}&to=${day}`));
    await expect(page.getByTestId("overview-spend")).toHaveText(money(days[biggest]!.cost));
  });

  await test.step("the top agent of that day is the biggest cost driver; its page agrees", async () => {
    const top = page.getByRole("region", { name: "Top agents by cost" }).locator("tbody tr").first();
    await expect(top).toContainText(driver!.name);
    await expect(top).toContainText(money(driver!.cost));
    await top.getByRole("link", { name: driver!.name, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/agents/${driver!.key}\\?from=${day}&to=${day}`));
    await expect(page.getByTestId("agent-cost")).toHaveText(money(driver!.cost));
  });

  await test.step("the cost's events: every page listed adds up to the total shown, equal to SQL", async () => {
    await page.getByRole("link", { name: "View events behind cost" }).click();
    await expect(page).toHaveURL(/\/events\?/);
    await expect(page).toHaveURL(new RegExp(`agent=${driver!.key}`));
    await expect(page.getByRole("navigation", { name: "Active filters" })).toContainText(`Agent: ${driver!.name}`);
    await expect(page.getByTestId("events-total-cost")).toHaveText(money(driver!.cost));
    await expect(page.getByTestId("events-total-events")).toHaveText(count(driver!.events));
    await loadAllEvents(page);
    await expect(page.getByTestId("events-listed-cost")).toHaveText(money(driver!.cost));
    await expect(page.getByRole("region", { name: "Events", exact: true }).locator("tbody tr")).toHaveCount(Number(driver!.events));
  });

  await test.step("removing the agent chip widens to the whole day", async () => {
    await page.getByRole("button", { name: /^Remove filter Agent/ }).click();
    await expect(page).not.toHaveURL(/agent=/);
    await expect(page.getByTestId("events-total-cost")).toHaveText(money(days[biggest]!.cost));
  });
});

test("usage: a bar segment filters to its group, the legend hides series in place, the chip removes the filter", async ({ page }) => {
  await loginAs(page, "ops");
  await page.goto("/usage?groupBy=department&chart=bar&granularity=week");
  const legendButtons = page.getByRole("list", { name: /^Series of / }).getByRole("button");
  await expect(legendButtons.first()).toBeVisible();

  await test.step("a legend click hides the series and stays on the page", async () => {
    const url = page.url();
    const first = legendButtons.first();
    const bars = page.getByTestId("chart").locator(".recharts-bar-rectangle");
    await expect(bars.first()).toBeVisible();
    const before = await bars.count();
    await first.click();
    await expect(first).toHaveAttribute("aria-pressed", "false");
    await expect.poll(() => bars.count()).toBeLessThan(before);
    expect(page.url()).toBe(url);
    await first.click();
    await expect(first).toHaveAttribute("aria-pressed", "true");
  });

  await test.step("clicking a department's bar segment filters to it, split by agent", async () => {
    const series = page.getByTestId("chart").locator(".recharts-bar-rectangles").first();
    await series.locator(".recharts-bar-rectangle").last().click();
    await expect(page).toHaveURL(/department=[A-Z]+/);
    await expect(page).toHaveURL(/groupBy=agent/);
    const code = new URL(page.url()).searchParams.get("department")!;
    await expect(page.getByLabel("Department")).toHaveValue(code);
    await expect(page.getByRole("navigation", { name: "Active filters" }).getByRole("button", { name: /^Remove filter Department/ })).toBeVisible();
  });

  await test.step("the chip removes the filter", async () => {
    await page.getByRole("button", { name: /^Remove filter Department/ }).click();
    await expect(page).not.toHaveURL(/department=/);
    await expect(page.getByRole("navigation", { name: "Active filters" })).toHaveCount(0);
  });
});

test("comparing agent vs human for one task type over 90 days on Workload", async ({ page }) => {
  await loginAs(page, "ops");
  await page.goto("/workload");
  await page.getByRole("button", { name: "Last 90 days" }).click();
  await expect(page).toHaveURL(/from=.*to=/);
  await page.getByLabel("Task type", { exact: true }).selectOption("case_resolution");
  await expect(page).toHaveURL(/taskType=case_resolution/);
  await expect(page.getByRole("navigation", { name: "Active filters" })).toContainText("Task type: Case resolved");
  const url = new URL(page.url());
  const [from, to] = [url.searchParams.get("from")!, url.searchParams.get("to")!];
  const [raw] = await sql<{ agent: string; human: string; escalated: string }>(
    `SELECT count(*) FILTER (WHERE handled_by = 'agent')::text AS agent, count(*) FILTER (WHERE handled_by = 'human')::text AS human,
            count(*) FILTER (WHERE handled_by = 'agent' AND task_status = 'escalated')::text AS escalated
     FROM usage_events e WHERE ${LOCAL_DAY} BETWEEN $1::date AND $2::date AND e.task_type = 'case_resolution'`,
    [from, to],
  );
  expect(Number(raw!.agent) + Number(raw!.human)).toBeGreaterThan(0);

  await test.step("the totals are the task type's agent and human tasks", async () => {
    await expect(page.getByTestId("workload-tasks")).toHaveText(`${count(raw!.agent)} / ${count(raw!.human)}`);
    const rows = page.getByRole("region", { name: "Workload by group" }).locator("tbody tr");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Case resolved");
  });

  await test.step("split by agent, each agent's human and agent counts add up to the totals", async () => {
    await page.getByLabel("Group by").selectOption("agent");
    await expect(page).toHaveURL(/groupBy=agent/);
    const cells = await page.getByRole("region", { name: "Workload by group" }).locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].slice(2, 4).map((td) => Number(td.textContent!.replaceAll(",", "")))),
    );
    expect(cells.reduce((s, [a]) => s + a!, 0)).toBe(Number(raw!.agent));
    expect(cells.reduce((s, [, h]) => s + h!, 0)).toBe(Number(raw!.human));
  });

  await test.step("the tasks open as events in the explorer, by agents and by humans", async () => {
    await page.getByRole("link", { name: "View events behind tasks (agent / human)" }).click();
    await expect(page).toHaveURL(/\/events\?.*taskType=case_resolution.*handledBy=agent/);
    await expect(page.getByTestId("events-total-events")).toHaveText(count(raw!.agent));
    await page.getByLabel("Handled by", { exact: true }).selectOption("human");
    await expect(page.getByTestId("events-total-events")).toHaveText(count(raw!.human));
  });
});

async function newUser(admin: Page, role: "ops" | "viewer") {
  const email = `views-${role}-${Date.now()}@e2e.test`;
  const password = `views-${role}-password-0123`;
  const res = await admin.request.post("/api/v1/users", { data: { email, name: `Views ${role}`, role, password }, headers: sameOrigin(admin) });
  expect(res.status()).toBe(201);
  return { email, password, name: `Views ${role}` };
}

async function signedIn(browser: Browser, user: { email: string; password: string }) {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await loginWith(page, user.email, user.password);
  return page;
}

test("saving and sharing a view: save, copy the link, open it as another user, landing view", async ({ page, browser }) => {
  // Three signed-in users and a dozen page loads: more than one default test timeout on a loaded 2-core machine.
  test.setTimeout(120_000);
  await loginAs(page, "admin");
  const owner = await signedIn(browser, await newUser(page, "ops"));
  const other = await signedIn(browser, await newUser(page, "viewer"));
  const name = `Spend by department ${Date.now()}`;
  const [range] = await sql<{ from: string; to: string }>(`
    SELECT to_char((now() AT TIME ZONE time_zone)::date - 30, 'YYYY-MM-DD') AS "from", to_char((now() AT TIME ZONE time_zone)::date - 1, 'YYYY-MM-DD') AS "to"
    FROM organizations WHERE id = 1`);

  await test.step("the owner saves the view, shared and as their landing view", async () => {
    await owner.goto(`/usage?from=${range!.from}&to=${range!.to}`);
    await owner.getByLabel("Group by").selectOption("department");
    await expect(owner).toHaveURL(/groupBy=department/);
    await owner.getByLabel("Chart").selectOption("bar");
    await expect(owner).toHaveURL(/chart=bar/);
    await owner.getByRole("button", { name: "Save view" }).click();
    const dialog = owner.getByRole("dialog", { name: "Save this view" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Share with the organization").check();
    await dialog.getByLabel(/landing view/).check();
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(owner.getByTestId("toast-success")).toContainText("View saved");
    await expect(dialog).toHaveCount(0);
  });

  let link = "";
  await test.step("Copy link copies the address, which alone reproduces the view", async () => {
    await owner.getByRole("button", { name: "Copy link" }).click();
    await expect(owner.getByTestId("toast-success").filter({ hasText: "Link copied" })).toBeVisible();
    link = await owner.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(owner.url());
    expect(link).toContain("groupBy=department");
  });

  await test.step("opening / takes the owner to their landing view", async () => {
    await owner.goto("/");
    await expect(owner).toHaveURL(/\/usage\?.*groupBy=department/);
    await expect(owner.getByLabel("Chart")).toHaveValue("bar");
  });

  await test.step("another user of the organization opens the link in a fresh context and sees the same view", async () => {
    await other.goto(link);
    await expect(other.getByLabel("Group by")).toHaveValue("department");
    await expect(other.getByLabel("Chart")).toHaveValue("bar");
    await expect(other.getByTestId("usage-cost")).toHaveText((await owner.getByTestId("usage-cost").textContent())!);
  });

  await test.step("the shared view is listed for them; they make it their own landing view", async () => {
    await other.goto("/usage");
    await other.getByRole("button", { name: /^Saved views/ }).click();
    const list = other.getByRole("list", { name: "Saved views" });
    const row = list.getByRole("listitem").filter({ hasText: name });
    await expect(row).toContainText("shared");
    await expect(row).toContainText("by Views ops");
    await expect(row.getByRole("button", { name: /^Delete/ })).toHaveCount(0);
    await row.getByRole("button", { name: `Make landing view (${name})` }).click();
    await expect(row.getByRole("button", { name: `Landing view (${name})` })).toHaveAttribute("aria-pressed", "true");
    await other.keyboard.press("Escape");
    await other.goto("/");
    await expect(other).toHaveURL(/\/usage\?.*groupBy=department/);
  });

  await test.step("a private view stays private", async () => {
    const res = await owner.request.post("/api/v1/views", { data: { name: "Private", path: "/workload", query: "groupBy=agent" }, headers: sameOrigin(owner) });
    expect(res.status()).toBe(200);
    const { id } = (await res.json()) as { id: number };
    const peek = await other.request.patch(`/api/v1/views/${id}`, { data: { isDefault: true }, headers: sameOrigin(other) });
    expect(peek.status()).toBe(404);
    const listed = (await (await other.request.get("/api/v1/views")).json()) as { views: { name: string }[] };
    expect(listed.views.map((v) => v.name)).not.toContain("Private");
  });

  await test.step("the owner deletes the view (confirmed); / is the Overview again for both", async () => {
    await owner.goto("/usage");
    await owner.getByRole("button", { name: /^Saved views/ }).click();
    await owner.getByRole("button", { name: `Delete view ${name}` }).click();
    await owner.getByRole("alertdialog").getByRole("button", { name: "Delete view" }).click();
    await expect(owner.getByTestId("toast-success").filter({ hasText: "View deleted" })).toBeVisible();
    for (const p of [owner, other]) {
      await p.goto("/");
      await expect(p.getByRole("heading", { name: "Overview" })).toBeVisible();
    }
  });
  await owner.context().close();
  await other.context().close();
});
