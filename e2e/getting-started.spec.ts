// A new organization's first run: the first admin signs up through the one-time setup link, follows Getting started — departments
// by CSV, an API key, one event posted with the key from the curl snippet — sees the indicator switch to "received",
// then sees that event's cost on Overview. Runs against the second app server of tests/helpers/e2e-server.ts, whose
// database holds only the organization and a setup token (the demo data of the other specs is never touched).
import fs from "node:fs";
import { EMPTY_ORG_ADMIN, EMPTY_ORG_SETUP_TOKEN_FILE } from "../tests/helpers/empty-org";
import { expect, test } from "./fixtures";

const emptyBase = `http://localhost:${process.env.TEST_E2E_EMPTY_PORT ?? Number(process.env.TEST_E2E_PORT ?? 3100) + 1}`;
test.use({ baseURL: emptyBase });

test.beforeAll(async () => {
  // The webServer waits for the demo server only; this one starts alongside it.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${emptyBase}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${emptyBase} did not become healthy`);
    await new Promise((r) => setTimeout(r, 500));
  }
});

test("a new admin goes from an empty organization to their first event on Overview", async ({ page }) => {
  await test.step("the setup link creates the first admin and signs them in: Overview says what to do next", async () => {
    const token = fs.readFileSync(EMPTY_ORG_SETUP_TOKEN_FILE, "utf8").trim();
    await page.goto(`/setup?token=${encodeURIComponent(token)}`);
    await page.getByLabel("Organization name").fill("New Company");
    await page.getByLabel("Your name").fill("First Admin");
    await page.getByLabel("Email").fill(EMPTY_ORG_ADMIN.email);
    await page.getByLabel("Password (at least 12 characters)").fill(EMPTY_ORG_ADMIN.password);
    await page.getByRole("button", { name: "Create the admin and sign in" }).click();
    // Two password hashes (create, then sign in) at the production cost: seconds on a busy 2-core machine.
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("no-events")).toContainText("No events yet");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Getting started" }).click();
    await expect(page.getByRole("heading", { name: "Getting started" })).toBeVisible();
    await expect(page.getByTestId("step-2")).toHaveAttribute("data-done", "false");
    await expect(page.getByTestId("first-event")).toHaveAttribute("data-state", "waiting");
    await expect(page.getByTestId("first-event")).toContainText("Waiting for your first event");
  });

  await test.step("create departments from a CSV file", async () => {
    await page.getByLabel("Department CSV file").setInputFiles({
      name: "departments.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("code,name,parent,monthly_budget\nOPS,Operations,,20000\nSUPPORT,Customer support,OPS,12000\n"),
    });
    await page.getByRole("button", { name: "Import departments" }).click();
    await expect(page.getByText("Created 2 departments: OPS, SUPPORT.")).toBeVisible();
    await expect(page.getByTestId("step-2")).toHaveAttribute("data-done", "true");
  });

  let key = "";
  await test.step("create an API key: the curl snippet carries it", async () => {
    await page.getByRole("button", { name: "Create an ingest API key" }).click();
    const curl = page.getByTestId("snippet-curl");
    await expect(curl).toContainText("export AGENTLEDGER_API_KEY=al_");
    key = /export AGENTLEDGER_API_KEY=(\S+)/.exec((await curl.textContent()) ?? "")![1]!;
    await expect(page.getByTestId("snippet-otel")).toContainText(`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${emptyBase}/api/v1/otlp/v1/traces`);
  });

  await test.step("post one event with that key; the indicator switches to received", async () => {
    const res = await fetch(`${emptyBase}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        events: [{ id: "first-1", timestamp: new Date().toISOString(), agent: "my-first-agent", department: "SUPPORT", type: "llm.call", cost: { amount: "12.34", currency: "USD" } }],
      }),
    });
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const indicator = page.getByTestId("first-event");
    await expect(indicator).toHaveAttribute("data-state", "received", { timeout: 15_000 });
    await expect(indicator).toContainText("my-first-agent");
    await expect(indicator).toContainText("$12.34");
  });

  await test.step("the event's cost is on Overview", async () => {
    await page.getByRole("link", { name: "See it on Overview →" }).click();
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    await expect(page.getByTestId("overview-spend")).toHaveText("$12.34");
    await expect(page.getByTestId("overview-events")).toHaveText("1");
  });
});
