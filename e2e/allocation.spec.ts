// Departments journey: an admin creates a department under Operations with an owner and a budget, assigns an agent
// found by name, and sees the allocation page change — the budget line, then the agent's next event booked there.
import { expect, loginAs, test } from "./fixtures";
import { demoUser } from "../prisma/demo-users";

test("an admin creates a department, assigns an agent by name, sets a budget and sees the allocation page change", async ({ page }) => {
  const code = `E2E${Date.now().toString(36).toUpperCase()}`;
  await loginAs(page, "admin");
  await page.goto("/admin/departments");

  await test.step("create the department under Operations, owned by the ops user", async () => {
    await page.getByRole("button", { name: "New department" }).click();
    const form = page.getByRole("form", { name: "New department" });
    await form.getByRole("button", { name: "Create department" }).click();
    // Inline validation from the API's schema, before anything is sent.
    await expect(form.getByText("must be 1–32 upper-case letters, digits, '-' or '_'")).toBeVisible();
    await form.getByLabel("Code").fill(code);
    await form.getByLabel("Name").fill("E2E Research");
    await form.getByLabel("Parent").selectOption("OPS");
    await form.getByLabel("Owner").selectOption(demoUser("ops").email);
    await form.getByLabel("Monthly budget").fill("250");
    await form.getByRole("button", { name: "Create department" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Department created" })).toBeVisible();
    await expect(page.getByTestId(`department-${code}`)).toContainText("E2E Research");
  });

  await test.step("assign an agent by searching its name", async () => {
    await page.getByRole("button", { name: `Edit ${code}` }).click();
    await page.getByRole("tab", { name: "Agents" }).click();
    await page.getByRole("combobox", { name: `Assign an agent to ${code}` }).fill("sandbox");
    await page.getByRole("option", { name: /Sandbox Experiments/ }).click();
    await expect(page.getByRole("list", { name: `Agents of ${code}` })).toContainText("Sandbox Experiments");
    await page.keyboard.press("Escape");
  });

  await test.step("the allocation page opens on the last complete month; This month shows the department with its budget and no cost yet", async () => {
    await page.goto("/allocation");
    await expect(page.getByRole("button", { name: "Last month" })).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("button", { name: "This month" }).click();
    await expect(page).toHaveURL(/period=\d{4}-\d{2}/);
    await expect(page.getByRole("button", { name: "This month" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("button", { name: "Next month" })).toBeDisabled();
    await expect(page.getByTestId(`allocation-budget-${code}`)).toHaveText("$250.00");
    await expect(page.getByTestId(`allocation-total-${code}`)).toHaveText("$0.00");
  });

  await test.step("the agent's next event is booked to the department and shows up", async () => {
    const origin = new URL(page.url()).origin;
    const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: `e2e ingest ${code}`, scopes: ["ingest"] } });
    expect(key.status()).toBe(201);
    const { secret } = (await key.json()) as { secret: string };
    const ingest = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${secret}` },
      data: { events: [{ id: `e2e-${code}`, timestamp: new Date().toISOString(), agent: "sandbox-experiments", type: "agent.action", cost: { amount: "12.34", currency: "USD" } }] },
    });
    expect(ingest.status()).toBe(200);
    await page.reload();
    await expect(page.getByTestId(`allocation-total-${code}`)).toHaveText("$12.34");
    await expect(page.getByTestId(`allocation-row-${code}`)).toContainText("4.9%");
  });

  await test.step("use vs limit: the department's monthly budget on Allocation; on the agent page, a day limit it is over", async () => {
    // The monthly budget is the department's implicit soft level: $12.34 of $250.00.
    const row = page.getByTestId(`budget-use-${code}-month`);
    await expect(row).toContainText("$12.34");
    await expect(row).toContainText("$250.00 (monthly budget)");
    await expect(row).toContainText("4.9 %");
    await expect(row).toContainText("within");
    const origin = new URL(page.url()).origin;
    const limit = await page.request.post("/api/v1/budget-limits", { headers: { origin }, data: { scope: "agent", target: "sandbox-experiments", period: "day", hard: "10.00" } });
    expect(limit.status()).toBe(200);
    await page.goto("/agents/sandbox-experiments");
    const agentRow = page.getByTestId("budget-use-sandbox-experiments-day");
    await expect(agentRow).toContainText("denied");
    await expect(agentRow).toContainText("tightest");
    await expect(page.getByTestId(`budget-use-${code}-month`)).toContainText("$250.00 (monthly budget)");
    const { id } = (await limit.json()) as { id: number };
    expect((await page.request.delete(`/api/v1/budget-limits/${id}`, { headers: { origin } })).status()).toBe(200);
  });
});
