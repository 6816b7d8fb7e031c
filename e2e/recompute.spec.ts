// Recompute and corrections in the browser: an admin previews and runs a re-pricing from /admin/recompute and sees
// the run with its delta; on an agent's drill-down the admin reverses an event and sees both ends of the link.
// The event it reverses is its own (sent through the API, dated 2021, outside every other spec's ranges).
import { expect, loginAs, test } from "./fixtures";

test("an admin previews and runs a re-pricing, then sees the run", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/admin/recompute");
  const form = page.getByRole("form", { name: "Re-price events" });
  await form.getByLabel("From (UTC day)").fill("2021-01-01");
  await form.getByLabel("Before (UTC day)").fill("2021-02-01");
  await form.getByLabel("Models").fill("e2e-no-such-model");
  await form.getByRole("button", { name: "Preview re-pricing" }).click();
  const start = page.getByRole("form", { name: "Start re-pricing" });
  await expect(start).toContainText("0 of 0 events change; cost delta 0");
  await start.getByLabel("Reason (audited)").fill("e2e: nothing to change");
  await start.getByRole("button", { name: "Start run" }).click();
  const row = page.getByRole("row", { name: /e2e: nothing to change/ });
  await expect(row).toContainText("done");
  await expect(row).toContainText("models e2e-no-such-model");
});

test("an admin reverses an event from the agent drill-down", async ({ page }) => {
  await loginAs(page, "admin");
  const key = await page.request.post("/api/v1/api-keys", {
    headers: { origin: new URL(page.url()).origin },
    data: { name: `e2e corrections ${Date.now()}`, scopes: ["ingest"], mayCreateEntities: true, mayWriteFinalized: true },
  });
  expect(key.status()).toBe(201);
  const { secret } = (await key.json()) as { secret: string };
  const id = `e2e-corr-${Date.now()}`;
  const sent = await page.request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${secret}` },
    data: { events: [{ id, timestamp: "2021-03-10T10:00:00Z", agent: "e2e-correction-bot", type: "agent.action", cost: { amount: "1.25", currency: "USD" } }] },
  });
  expect(((await sent.json()) as { accepted: number }).accepted).toBe(1);

  await page.goto("/agents/e2e-correction-bot?from=2021-03-01&to=2021-03-31");
  const events = page.getByRole("region", { name: "Recent events" });
  await events.getByRole("button", { name: "Reverse" }).click();
  const dialog = page.getByRole("dialog", { name: /Reverse event #\d+\?/ });
  await dialog.getByLabel("Reason").fill("sent twice by mistake");
  await dialog.getByRole("button", { name: "Reverse event" }).click();
  await expect(page.getByTestId("toast-success").filter({ hasText: "Event reversed" })).toBeVisible();
  await expect(events).toContainText("Reversed by #");
  await expect(events).toContainText("sent twice by mistake");
  await expect(events).toContainText("Reversal of #");
  await expect(events.getByRole("button", { name: "Reverse" })).toHaveCount(0);
});
