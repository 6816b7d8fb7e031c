// Allocation in a display currency (issue 20): the Allocation page switches from USD to JPY, converting each day at its
// own rate, names the rate date, lists the days without a rate (their cost is not converted, never 0 or 1:1), keeps
// budgets and forecasts in USD, and its chargeback CSV follows the currency with both amounts. The events sit in a
// month of their own (from the run's stamp, 2000–2018) with EUR→USD and EUR→JPY rates for one day of it only.
import { parse } from "csv-parse/sync";
import { expect, loginAs, test } from "./fixtures";

test("the Allocation page switches display currency and shows the rate date", async ({ page }) => {
  test.setTimeout(120_000);
  await loginAs(page, "admin");
  const origin = new URL(page.url()).origin;
  const stamp = Date.now();
  const index = (Math.floor(stamp / 1000) * 13) % 220;
  const period = `${2000 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  const [rated, unrated] = [`${period}-20`, `${period}-10`];
  const agent = `e2e-fx-alloc-${stamp}`;
  const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: `e2e fx allocation ${stamp}`, scopes: ["ingest"], mayCreateEntities: true, mayWriteFinalized: true } });
  const { secret } = (await key.json()) as { secret: string };
  const event = (n: number, day: string, amount: string) => ({ id: `${agent}-${n}`, timestamp: `${day}T12:00:00Z`, agent, type: "llm.call", cost: { amount, currency: "USD" } });
  const sent = await page.request.post("/api/v1/events", { headers: { authorization: `Bearer ${secret}` }, data: { events: [event(1, rated, "7.50"), event(2, rated, "2.50"), event(3, unrated, "5")] } });
  expect(await sent.json()).toMatchObject({ accepted: 3, rejected: [] });
  // 1 USD = 162.5 / 1.25 = 130 JPY on the 20th (and the 7 days after); no rate on the 10th.
  const rates = await page.request.put("/api/v1/fx-rates", {
    headers: { origin },
    data: { rates: [{ base: "EUR", quote: "USD", date: rated, rate: "1.25" }, { base: "EUR", quote: "JPY", date: rated, rate: "162.5" }] },
  });
  expect(rates.ok()).toBe(true);
  // The agent has no department: its cost is unallocated, one row of its own.
  const agentRow = () => page.getByRole("row").filter({ hasText: agent });

  await test.step("in the organization currency", async () => {
    await page.goto(`/allocation?period=${period}`);
    await expect(agentRow()).toContainText("$15.00");
    await expect(page.getByTestId("fx-conversion-note")).toHaveCount(0);
  });

  await test.step("switched to JPY: the 20th at its rate, the rate date shown, the 10th listed as not converted", async () => {
    await page.getByLabel("Currency").selectOption("JPY");
    await expect(page).toHaveURL(/currency=JPY/);
    await expect(agentRow()).toContainText("¥1,300");
    await expect(agentRow()).toContainText("$15.00");
    await expect(page.getByTestId("fx-conversion-note")).toContainText(`Converted from USD at manual rates of ${rated}`);
    await expect(page.getByTestId("fx-conversion-note")).toContainText("Budgets and forecasts stay in USD");
    await expect(page.getByTestId("fx-missing-note")).toContainText(`No USD→JPY rate for ${period}-01`);
    await expect(page.getByRole("columnheader", { name: "Rate date" })).toBeVisible();
    await expect(page.getByRole("link", { name: "CSV", exact: true })).toHaveAttribute("href", new RegExp(`period=${period}&format=csv&currency=JPY`));
    await expect(page.getByRole("link", { name: "Journal entries" })).not.toHaveAttribute("href", /currency=/);
  });

  await test.step("the chargeback CSV in JPY carries both amounts, the rate dates and the days without a rate", async () => {
    const res = await page.request.get(`/api/v1/exports/chargeback?period=${period}&format=csv&currency=JPY`);
    expect(res.status()).toBe(200);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const unallocated = rows.find((r) => r.department_name === "Unallocated")!;
    expect(unallocated).toMatchObject({ currency: "JPY", org_currency: "USD", rate_rule: "daily", rate_dates: rated });
    expect(unallocated.missing_rate_days).toContain(unrated);
    const journal = await page.request.get(`/api/v1/exports/chargeback?period=${period}&format=journal&currency=JPY`);
    expect(journal.status()).toBe(400);
  });
});
