// Admin and finance workflows through the UI: a threshold edit opens the alert of an over-budget department and a
// channel's test send lands in the delivery log; an ROI what-if saved and opened read-only by link shows the same
// numbers; an invitation link sets a password and the new user signs in as a viewer.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, loginAs, test } from "./fixtures";

/** An ingest key that may create agents: new keys may not by default, and then an unknown agent's events are rejected. */
async function ingestKey(page: import("@playwright/test").Page, name: string): Promise<string> {
  const origin = new URL(page.url()).origin;
  const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name, scopes: ["ingest"], mayCreateEntities: true } });
  expect(key.status()).toBe(201);
  return ((await key.json()) as { secret: string }).secret;
}

test("a threshold edit opens the alert of an over-budget department; a channel's test send is logged", async ({ page }) => {
  const code = `THR${Date.now().toString(36).toUpperCase()}`;
  const agent = `e2e-thr-${code.toLowerCase()}`;
  const month = new Date().toISOString().slice(0, 7);
  await loginAs(page, "admin");
  await page.goto("/admin/departments");
  const secret = await ingestKey(page, `e2e ${code}`);
  const send = async (id: string, amount: string) => {
    const res = await page.request.post("/api/v1/events", { headers: { authorization: `Bearer ${secret}` }, data: { events: [{ id, timestamp: new Date().toISOString(), agent, type: "agent.action", cost: { amount, currency: "USD" } }] } });
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1 });
  };
  await send(`${code}-first`, "1.00"); // the agent exists from its first event on

  await test.step("a department with a 100.00 budget and the agent, 25.00 spent: 25 %, under every default step", async () => {
    await page.getByRole("button", { name: "New department" }).click();
    const form = page.getByRole("form", { name: "New department" });
    await form.getByLabel("Code").fill(code);
    await form.getByLabel("Name").fill("E2E Thresholds");
    await form.getByLabel("Monthly budget").fill("100");
    await form.getByRole("button", { name: "Create department" }).click();
    await expect(page.getByTestId(`department-${code}`)).toBeVisible();
    await page.getByRole("button", { name: `Edit ${code}` }).click();
    await page.getByRole("tab", { name: "Agents" }).click();
    await page.getByRole("combobox", { name: `Assign an agent to ${code}` }).fill(agent);
    await page.getByRole("option", { name: new RegExp(agent) }).click();
    await expect(page.getByRole("list", { name: `Agents of ${code}` })).toContainText(agent);
    await page.keyboard.press("Escape");
    await send(`${code}-second`, "25.00");
    await page.goto(`/allocation?period=${month}`);
    await expect(page.getByTestId(`allocation-total-${code}`)).toHaveText("$25.00");
  });

  await test.step("lower the first step to 20 % of spend: the alert opens at once", async () => {
    await page.goto("/admin/alerts");
    await page.getByRole("button", { name: `Edit thresholds of ${code}` }).click();
    const form = page.getByRole("form", { name: `Budget and thresholds of ${code}` });
    await form.getByLabel("Threshold 1 percent").fill("0");
    await form.getByRole("button", { name: "Save budget and thresholds" }).click();
    await expect(form.getByText("Too small: expected number to be >=1")).toBeVisible();
    await form.getByLabel("Threshold 1 percent").fill("20");
    await form.getByRole("button", { name: "Save budget and thresholds" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Budget and thresholds saved" })).toBeVisible();
    await page.goto(`/allocation?period=${month}`);
    const alert = page.getByTestId(`alert-budget:${code}:${month}:20`);
    await expect(alert).toContainText("has spent $25.00");
    await expect(alert).toContainText("25.0% of its $100.00 budget (threshold 20%)");
    await expect(page.getByTestId(`alert-budget:${code}:${month}:50`)).toHaveCount(0);
  });

  await test.step("add a webhook channel, send a test, see it delivered in the log", async () => {
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      req.on("data", (c: Buffer) => received.push(c.toString()));
      req.on("end", () => res.end("ok"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook-${code}`;
      await page.goto("/admin/alerts");
      await page.getByRole("button", { name: "Add channel" }).click();
      const form = page.getByRole("form", { name: "Add a channel" });
      await form.getByLabel("URL").fill(url);
      await form.getByRole("button", { name: "Add channel" }).click();
      await expect(page.getByTestId("channel-secret")).toContainText("whsec_");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: `Send test to ${url}` }).click();
      await expect(page.getByTestId("toast-success").filter({ hasText: "Test delivered" })).toBeVisible();
      await page.getByRole("button", { name: `Deliveries of ${url}` }).click();
      const log = page.getByRole("region", { name: `Delivery log: ${url}` });
      await expect(log).toContainText("webhook.test");
      await expect(log).toContainText("delivered");
      expect(received.join("")).toContain('"event":"webhook.test"');
    } finally {
      server.close();
    }
  });
});

test("an ROI what-if saved as a scenario and opened read-only by link shows the same numbers", async ({ page, browser }) => {
  const name = `E2E what-if ${Date.now().toString(36)}`;
  await loginAs(page, "ops");
  await page.goto("/roi");
  const card = page.getByRole("region", { name: "What-if scenarios" });
  const official = await test.step("double the human minutes of a case and compare", async () => {
    await card.getByLabel("What-if minutes for Case resolved").fill("24");
    await card.getByRole("button", { name: "Compare with official" }).click();
    const officialValue = await card.getByTestId("official-value").textContent();
    await expect(card.getByTestId("whatif-value")).not.toHaveText(officialValue!);
    return { value: officialValue!, net: (await card.getByTestId("official-net").textContent())! };
  });
  const whatIf = { value: (await card.getByTestId("whatif-value").textContent())!, net: (await card.getByTestId("whatif-net").textContent())! };

  const link = await test.step("save it, share a read-only link", async () => {
    await card.getByLabel("Scenario name").fill(name);
    await card.getByRole("button", { name: "Save as scenario" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Scenario saved" })).toBeVisible();
    await card.getByRole("button", { name: "Share read-only link" }).click();
    return (await card.getByTestId("scenario-link").getAttribute("href"))!;
  });

  await test.step("a viewer opens the link in a fresh session and sees the same figures, read-only", async () => {
    const context = await browser.newContext();
    const viewer = await context.newPage();
    await loginAs(viewer, "viewer");
    await viewer.goto(link);
    const shared = viewer.getByRole("region", { name: "Shared scenario" });
    await expect(shared).toContainText(name);
    await expect(shared.getByTestId("whatif-value")).toHaveText(whatIf.value);
    await expect(shared.getByTestId("whatif-net")).toHaveText(whatIf.net);
    await expect(shared.getByTestId("official-value")).toHaveText(official.value);
    await expect(shared.getByTestId("official-net")).toHaveText(official.net);
    await expect(shared.getByLabel(/What-if minutes/)).toHaveCount(0);
    await context.close();
  });
});

test("an invitation link sets a password and the invitee signs in as a viewer", async ({ page, browser }) => {
  const email = `invitee-${Date.now().toString(36)}@example.com`;
  const password = "a long enough password";
  await loginAs(page, "admin");
  await page.goto("/admin/users");

  const link = await test.step("invite by email: viewer by default, a link to copy", async () => {
    await page.getByRole("button", { name: "Invite user" }).click();
    const form = page.getByRole("form", { name: "Invite a user" });
    await expect(form.getByLabel("Role")).toHaveValue("viewer");
    await expect(form).not.toContainText("single sign-on");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Name").fill("Ivy Invitee");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    const value = await page.getByTestId("invitation-link").inputValue();
    expect(value).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("region", { name: "Pending invitations" })).toContainText(email);
    return value;
  });

  await test.step("the invitee sets a password in a fresh browser and signs in", async () => {
    const context = await browser.newContext();
    const invitee = await context.newPage();
    await invitee.goto(link);
    await expect(invitee.getByRole("main")).toContainText("invited as viewer");
    await invitee.getByLabel("Password", { exact: true }).fill(password);
    await invitee.getByLabel("Repeat password").fill(password);
    await invitee.getByRole("button", { name: "Set password" }).click();
    await invitee.waitForURL(/\/login/);
    await invitee.getByLabel("Email").fill(email);
    await invitee.getByLabel("Password").fill(password);
    await invitee.getByRole("button", { name: "Sign in" }).click();
    await expect(invitee).not.toHaveURL(/\/login/);
    await invitee.goto("/admin/departments");
    await expect(invitee.getByText("Not allowed")).toBeVisible();
    // The link was single-use.
    await invitee.goto(link);
    // In <main>: Next's route announcer is an (empty) alert too.
    await expect(invitee.getByRole("main").getByRole("alert")).toContainText("invalid, expired, revoked or already used");
    await context.close();
  });

  await test.step("the admin sees a viewer who has signed in, and no pending invitation", async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "Pending invitations" })).not.toContainText(email);
    const row = page.getByRole("row").filter({ hasText: email });
    await expect(row).toContainText("viewer");
    await expect(row).toContainText("active");
  });
});
