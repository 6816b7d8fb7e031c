// Notification channels through the UI (issue 21): an admin adds a Slack channel pointing at a local receiver,
// sends a test, sees the delivery in the log, and the receiver got a Block Kit message.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, loginAs, test } from "./fixtures";

test("an admin adds a Slack channel, sends a test and sees it delivered in the log", async ({ page }) => {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push(body);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const secretPath = `/services/T0E2E/B0E2E/${Date.now().toString(36)}secret`;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${secretPath}`;
    await loginAs(page, "admin");
    await page.goto("/admin/alerts");
    await page.getByRole("button", { name: "Add channel" }).click();
    const form = page.getByRole("form", { name: "Add a channel" });
    await form.getByLabel("Type").selectOption("slack");
    await form.getByLabel("URL").fill(url);
    await form.getByRole("button", { name: "Add channel" }).click();
    const added = page.getByTestId("channel-added");
    await expect(added).toBeVisible();
    // The Slack URL is a secret: the app shows it cut short.
    const shown = (await added.textContent())!;
    expect(shown).not.toContain("secret");
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: `Send test to ${shown}` }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Test delivered" })).toBeVisible();
    await page.getByRole("button", { name: `Deliveries of ${shown}` }).click();
    const log = page.getByRole("region", { name: `Delivery log: ${shown}` });
    await expect(log).toContainText("webhook.test");
    await expect(log).toContainText("delivered");
    const message = JSON.parse(received.at(-1)!) as { text: string; blocks: { type: string }[] };
    expect(message.text).toContain("Test from AgentLedger");
    expect(message.blocks[0]!.type).toBe("header");
  } finally {
    server.close();
  }
});
