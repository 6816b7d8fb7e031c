// A display currency on the Usage and Overview pages (issue 20): the figures switch from USD to JPY at the day's rate, the page names
// the rate date, and a day without a rate is listed as not converted (never 0 or 1:1). Its events sit on days of
// their own (from the run's stamp, 2000-2018) with EUR→USD and EUR→JPY rates set for one of them only.
import { expect, loginAs, test } from "./fixtures";

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test("the Usage page shows cost in another currency at the day's rate", async ({ page }) => {
  test.setTimeout(120_000);
  await loginAs(page, "admin");
  const origin = new URL(page.url()).origin;
  const stamp = Date.now();
  const day = new Date(Date.UTC(2000, 0, 1) + ((Math.floor(stamp / 1000) * 7) % 6900) * 86_400_000).toISOString().slice(0, 10);
  const before = addDays(day, -1);
  const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: `e2e fx display ${stamp}`, scopes: ["ingest"], mayCreateEntities: true, mayWriteFinalized: true } });
  const { secret } = (await key.json()) as { secret: string };
  const event = (n: number, at: string, amount: string) => ({ id: `e2e-fxd-${stamp}-${n}`, timestamp: `${at}T12:00:00Z`, agent: "e2e-fx-display-bot", type: "llm.call", cost: { amount, currency: "USD" } });
  const sent = await page.request.post("/api/v1/events", { headers: { authorization: `Bearer ${secret}` }, data: { events: [event(1, day, "10"), event(2, day, "10"), event(3, before, "5")] } });
  expect(await sent.json()).toMatchObject({ accepted: 3, rejected: [] });
  // 1 USD = 162.5 / 1.25 = 130 JPY on `day`; nothing on or in the 7 days before `before`.
  const rates = await page.request.put("/api/v1/fx-rates", {
    headers: { origin },
    data: { rates: [{ base: "EUR", quote: "USD", date: day, rate: "1.25" }, { base: "EUR", quote: "JPY", date: day, rate: "162.5" }] },
  });
  expect(rates.ok()).toBe(true);

  await test.step("in the organization currency", async () => {
    await page.goto(`/usage?from=${before}&to=${day}&agent=e2e-fx-display-bot`);
    await expect(page.getByTestId("usage-cost")).toContainText("$25.00");
    await expect(page.getByTestId("fx-conversion-note")).toHaveCount(0);
  });

  await test.step("switched to JPY: converted at the day's rate, the day without a rate listed", async () => {
    await page.getByLabel("Currency").selectOption("JPY");
    await expect(page).toHaveURL(/currency=JPY/);
    await expect(page.getByTestId("usage-cost")).toContainText("¥2,600");
    await expect(page.getByTestId("fx-conversion-note")).toContainText(`Converted from USD at manual rates of ${day}`);
    await expect(page.getByTestId("fx-missing-note")).toContainText(`No USD→JPY rate for ${before}`);
    await expect(page.getByTestId("fx-missing-note")).toContainText("$5.00");
  });

  await test.step("the Overview switches to JPY the same way, the forecast stays in USD", async () => {
    await page.goto(`/?from=${before}&to=${day}`);
    await expect(page.getByTestId("overview-spend")).toContainText("$25.00");
    await page.getByLabel("Currency").selectOption("JPY");
    await expect(page).toHaveURL(/currency=JPY/);
    await expect(page.getByTestId("overview-spend")).toContainText("¥2,600");
    await expect(page.getByTestId("fx-conversion-note")).toContainText(`Converted from USD at manual rates of ${day}`);
    await expect(page.getByTestId("fx-conversion-note")).toContainText("Budgets and the forecast stay in USD");
    await expect(page.getByTestId("fx-missing-note")).toContainText(`No USD→JPY rate for ${before}`);
    await expect(page.getByTestId("overview-forecast")).toContainText("$");
  });
});
