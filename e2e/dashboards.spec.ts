// Dashboard journeys on the seeded demo: filters live in the URL and change the chart, drill-down from a group to
// an agent, the CSV download equals the table, ROI assumptions edit in place; a screenshot of each page.
import fs from "node:fs";
import type { Locator, Page } from "@playwright/test";
import { expect, loginAs, test } from "./fixtures";

const SHOTS = "screenshots";

/** Session mutations must carry the site's Origin (CSRF check), as a browser's fetch would. */
function sameOrigin(page: Page) {
  return { origin: new URL(page.url()).origin };
}

async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Text of every body row of a table, cell by cell. */
async function tableRows(section: Locator): Promise<string[][]> {
  return section.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));
}

/** Parses our CSV (no embedded newlines in these tables). */
function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split(/\r\n/)
    .map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, "").replaceAll('""', '"')));
}

/** The chart's legend: one show/hide button per series. */
function legendList(page: Page): Locator {
  return page.getByRole("list", { name: /^Series of / });
}

async function legend(page: Page): Promise<string[]> {
  return legendList(page).getByRole("button").allTextContents();
}

test("usage: filters in the URL change the chart, drill-down reaches an agent, CSV matches the table", async ({ page }) => {
  await loginAs(page, "finance");
  await page.goto("/usage");
  await expect(page.getByRole("heading", { name: "Usage" })).toBeVisible();
  await expect(page.getByTestId("chart")).toBeVisible();

  await test.step("grouping by department puts it in the URL and splits the chart", async () => {
    const before = await legend(page);
    await page.getByLabel("Group by").selectOption("department");
    await expect(page).toHaveURL(/groupBy=department/);
    await expect(legendList(page).getByRole("button", { name: "Customer Support" })).toBeVisible();
    expect(await legend(page)).not.toEqual(before);
  });

  await test.step("a filter and the granularity go to the URL; a shared link restores the view", async () => {
    await page.getByLabel("Event type").selectOption("llm.call");
    await expect(page).toHaveURL(/type=llm\.call/);
    await page.getByLabel("Granularity").selectOption("week");
    await expect(page).toHaveURL(/granularity=week/);
    const shared = page.url();
    await page.goto(shared);
    await expect(page.getByLabel("Event type")).toHaveValue("llm.call");
    await expect(page.getByLabel("Granularity")).toHaveValue("week");
    await shot(page, "usage");
  });

  await test.step("the CSV download holds the table's rows", async () => {
    const section = page.getByRole("region", { name: "By group" });
    const shown = await tableRows(section);
    const download = page.waitForEvent("download");
    await section.getByRole("button", { name: "Download CSV" }).click();
    const file = await (await download).path();
    const [header, ...records] = parseCsv(fs.readFileSync(file, "utf8"));
    expect(header).toEqual(["Group", "Key", "Events", "Quantity", "Cost", "Share of cost", "Previous cost", "Change", "Change %"]);
    const rows = records.slice(0, -1);
    expect(records.at(-1)![0]).toBe("Total");
    expect(rows).toHaveLength(shown.length);
    rows.forEach((csv, i) => {
      const cells = shown[i]!;
      expect(csv[0]).toBe(cells[0]);
      expect(csv[1]).toBe(cells[1]);
      expect(Number(csv[2]).toLocaleString("en-US")).toBe(cells[2]);
      expect(`$${Number(csv[4]).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`).toBe(cells[4]);
    });
  });

  await test.step("a long period table shows its first 40 rows until asked; its CSV holds every row", async () => {
    await page.goto("/usage?granularity=hour");
    const section = page.getByRole("region", { name: /^By hour/ });
    await expect(section.locator("tbody tr")).toHaveCount(40);
    const download = page.waitForEvent("download");
    await section.getByRole("button", { name: "Download CSV" }).click();
    const [, ...records] = parseCsv(fs.readFileSync(await (await download).path(), "utf8"));
    const rows = records.slice(0, -1); // the last record is the totals row
    expect(rows.length).toBeGreaterThan(40);
    await section.getByRole("button", { name: `Show all ${rows.length} rows` }).click();
    await expect(section.locator("tbody tr")).toHaveCount(rows.length);
    await page.goBack();
  });

  await test.step("clicking a department drills into it by agent, then into one agent", async () => {
    await page.getByRole("region", { name: "By group" }).getByRole("link", { name: "Customer Support", exact: true }).click();
    await expect(page).toHaveURL(/department=SUPPORT/);
    await expect(page).toHaveURL(/groupBy=agent/);
    await expect(page.getByLabel("Department")).toHaveValue("SUPPORT");
    const agents = page.getByRole("region", { name: "By group" }).getByRole("link");
    await expect(agents.first()).toBeVisible();
    const name = (await agents.first().textContent())!;
    await agents.first().click();
    await expect(page).toHaveURL(/\/agents\//);
    await expect(page.getByRole("heading", { name })).toBeVisible();
  });

  await test.step("a bad parameter is named on the page", async () => {
    await page.goto("/usage?granularity=fortnight");
    await expect(page.getByRole("alert").filter({ hasText: "cannot be applied" })).toContainText("granularity");
  });
});

test("agent detail: trend, outcomes, models, departments and paginated recent events", async ({ page }) => {
  await loginAs(page, "ops");
  await page.goto("/agents/support-resolver");
  await expect(page.getByRole("heading", { name: "Support Resolver" })).toBeVisible();
  await expect(page.getByTestId("agent-cost")).toContainText("$");
  await expect(page.getByRole("region", { name: "Models used" })).toContainText("claude-sonnet-4-5");
  const events = page.getByRole("region", { name: "Recent events" }).locator("tbody tr");
  await expect(events).toHaveCount(25);
  await page.getByRole("button", { name: "Load older events" }).click();
  await expect(events).toHaveCount(50);
  await shot(page, "agent");
});

test("workload: grouping in the URL, agent vs human table and chart", async ({ page }) => {
  await loginAs(page, "ops");
  await page.goto("/workload");
  await expect(page.getByRole("region", { name: "Workload by group" })).toContainText("Case resolved");
  await expect(page.getByTestId("workload-share")).toContainText("%");
  await page.getByLabel("Group by").selectOption("department");
  await expect(page).toHaveURL(/groupBy=department/);
  await expect(page.getByRole("region", { name: "Workload by group" })).toContainText("Customer Support");
  await shot(page, "workload");
});

test("ROI: assumptions shown with the numbers and editable by finance", async ({ page }) => {
  await loginAs(page, "finance");
  await page.goto("/roi?groupBy=task_type");
  const table = page.getByRole("region", { name: "ROI by group" });
  const row = table.locator("tbody tr", { hasText: "Meeting summarized" });
  await expect(row).toBeVisible();
  const hoursBefore = Number((await row.locator("td").nth(3).textContent())!.replaceAll(",", ""));
  const minutes = page.getByLabel("Baseline minutes for Meeting summarized");
  const original = await minutes.inputValue();

  await test.step("doubling the baseline doubles the hours saved", async () => {
    await minutes.fill(String(Number(original) * 2));
    await page.getByRole("region", { name: "Assumptions" }).locator("tr", { hasText: "Meeting summarized" }).getByRole("button", { name: "Save" }).click();
    await expect.poll(async () => Number((await row.locator("td").nth(3).textContent())!.replaceAll(",", ""))).toBeCloseTo(hoursBefore * 2, 0);
    await shot(page, "roi");
  });

  await test.step("restore the baseline", async () => {
    const res = await page.request.patch("/api/v1/roi/assumptions/meeting_summary", { data: { baselineMinutes: original }, headers: sameOrigin(page) });
    expect(res.status()).toBe(200);
  });

  await test.step("viewers see the assumptions but cannot edit them", async () => {
    const viewer = await page.context().browser()!.newPage();
    await loginAs(viewer, "viewer");
    await viewer.goto("/roi");
    await expect(viewer.getByRole("region", { name: "Assumptions" })).toContainText("Meeting summarized");
    await expect(viewer.getByLabel("Baseline minutes for Meeting summarized")).toHaveCount(0);
    const denied = await viewer.request.patch("/api/v1/roi/assumptions/meeting_summary", { data: { baselineMinutes: "1" }, headers: sameOrigin(viewer) });
    expect(denied.status()).toBe(403);
    await viewer.close();
  });
});

test("overview: month-end forecast and top movers; custom dimension promotion", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/");
  await expect(page.getByTestId("overview-forecast")).toContainText("$");
  await expect(page.getByRole("region", { name: "Top movers" })).toBeVisible();
  await shot(page, "overview");

  await test.step("an admin promotes a property and Usage groups by it", async () => {
    const list = await page.request.get("/api/v1/dimensions");
    const { dimensions, candidates } = (await list.json()) as { dimensions: string[]; candidates: string[] };
    const name = candidates.find((c) => c === "channel") ?? candidates[0]!;
    const promoted = await page.request.post("/api/v1/dimensions", { data: { name }, headers: sameOrigin(page) });
    expect(promoted.status()).toBe(200);
    await page.goto(`/usage?groupBy=property:${name}`);
    await expect(page.getByLabel("Group by")).toHaveValue(`property:${name}`);
    await expect(page.getByRole("region", { name: "By group" }).locator("tbody tr").first()).toBeVisible();
    const removed = await page.request.delete(`/api/v1/dimensions/${name}`, { headers: sameOrigin(page) });
    expect(removed.status()).toBe(200);
    expect(((await removed.json()) as { dimensions: string[] }).dimensions).toEqual(dimensions);
  });
});
