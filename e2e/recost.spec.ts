// Re-costing in the browser: events of an unknown deployment name arrive unpriced; an admin aliases it to a priced
// model, sees the pending change with the preview on Admin → Model prices, applies the re-cost with a reason and
// sees it started; the run finishes and the events are priced. Its own events are dated 2021 (outside other specs).
import { expect, loginAs, test } from "./fixtures";

test("an admin previews and applies a re-cost after adding an alias", async ({ page }) => {
  await loginAs(page, "admin");
  const origin = new URL(page.url()).origin;
  const stamp = Date.now();
  const model = `e2e-recost-model-${stamp}`;
  const deploy = `e2e-recost-deploy-${stamp}`;
  const price = await page.request.post("/api/v1/model-prices", {
    headers: { origin },
    data: { model, provider: "e2e", currency: "USD", inputPerMTok: "2.00", outputPerMTok: "2.00", effectiveFrom: "2020-01-01T00:00:00Z" },
  });
  expect(price.status()).toBe(201);
  const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: `e2e recost ${stamp}`, scopes: ["ingest"], mayCreateEntities: true, mayWriteFinalized: true } });
  const { secret } = (await key.json()) as { secret: string };
  const sent = await page.request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${secret}` },
    data: { events: [1, 2].map((n) => ({ id: `${deploy}-${n}`, timestamp: `2021-04-1${n}T10:00:00Z`, agent: "e2e-recost-bot", type: "llm.call", model: deploy, tokens: { input: 500_000 } })) },
  });
  expect(((await sent.json()) as { accepted: number }).accepted).toBe(2);
  expect((await page.request.post("/api/v1/pricing/aliases", { headers: { origin }, data: { alias: deploy, model } })).status()).toBe(201);

  await page.goto("/admin/model-prices");
  const section = page.locator("#recost");
  await expect(section).toContainText("alias.create");
  await expect(section).toContainText(deploy);
  await expect(section.getByTestId("recost-preview")).toContainText("total change");
  await section.getByLabel("Reason (audited)").fill(`e2e: alias ${stamp}`);
  await section.getByRole("button", { name: "Apply re-cost" }).click();
  await expect(section).toContainText("Every price change has been re-costed");

  await page.goto("/admin/recompute");
  await expect(page.getByRole("row", { name: new RegExp(`e2e: alias ${stamp}`) })).toContainText("done", { timeout: 30_000 });
  const unpriced = await page.request.get("/api/v1/pricing/unpriced?from=2021-04-01&to=2021-04-30");
  expect(((await unpriced.json()) as { models: { model: string }[] }).models.map((m) => m.model)).not.toContain(deploy);
});
