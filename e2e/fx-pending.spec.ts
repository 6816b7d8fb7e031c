// A cost in another currency with no rate yet (issue 20): the events are stored, the Usage page says they await a
// rate, an admin enters one on Admin → FX rates, the conversion run finishes, the notice clears and the converted
// amount is counted. Its events are on a day of their own (from the run's stamp, 2000-2018), so no other rate covers it.
import { expect, loginAs, test } from "./fixtures";

test("events in CHF await a rate until an admin enters it", async ({ page }) => {
  test.setTimeout(120_000);
  await loginAs(page, "admin");
  const origin = new URL(page.url()).origin;
  const stamp = Date.now();
  const day = new Date(Date.UTC(2000, 0, 1) + (stamp % 6900) * 86_400_000).toISOString().slice(0, 10);
  const range = `from=${day}&to=${day}`;
  const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: `e2e fx ${stamp}`, scopes: ["ingest"], mayCreateEntities: true, mayWriteFinalized: true } });
  const { secret } = (await key.json()) as { secret: string };
  const sent = await page.request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${secret}` },
    data: { events: [1, 2].map((n) => ({ id: `e2e-fx-${stamp}-${n}`, timestamp: `${day}T12:00:00Z`, agent: "e2e-fx-bot", type: "llm.call", cost: { amount: "10", currency: "CHF" } })) },
  });
  expect(await sent.json()).toMatchObject({ accepted: 2, rejected: [] });
  const notice = page.getByTestId("fx-pending-notice");

  await test.step("the Usage page says what awaits a rate", async () => {
    await page.goto(`/usage?${range}`);
    await expect(notice).toContainText(`2 events in CHF await an FX rate for ${day}`);
    await expect(page.getByTestId("usage-cost")).toContainText("$0.00");
    await notice.getByRole("link", { name: "Enter FX rates" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "FX rates" })).toBeVisible();
  });

  await test.step("the events explorer marks them and shows the amount as sent", async () => {
    await page.goto(`/events?${range}&agent=e2e-fx-bot`);
    const table = page.getByRole("table");
    await expect(table.getByText("awaits FX rate")).toHaveCount(2);
    await expect(table.getByText("10 CHF")).toHaveCount(2);
    await page.goto(`/admin/fx-rates`);
  });

  await test.step("an admin enters the rate", async () => {
    const card = page.getByRole("region", { name: "Set a rate" });
    await card.getByLabel("Base").fill("CHF");
    await card.getByLabel("Quote").fill("USD");
    await card.getByLabel("Date").fill(day);
    await card.getByLabel("Rate").fill("1.125");
    await card.getByRole("button", { name: "Save rate" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Rate saved" })).toBeVisible();
  });

  await test.step("the events are converted: the notice clears and the amount is counted", async () => {
    await expect(async () => {
      await page.goto(`/usage?${range}`);
      await expect(page.getByText(`await an FX rate for ${day}`)).toHaveCount(0);
    }).toPass({ timeout: 60_000 });
    // 2 × 10 CHF × 1.125
    await expect(page.getByTestId("usage-cost")).toContainText("$22.50");
    await page.goto(`/events?${range}&agent=e2e-fx-bot`);
    await expect(page.getByRole("table").getByText("awaits FX rate")).toHaveCount(0);
    await expect(page.getByRole("table").getByText(day)).toHaveCount(2);
  });
});
