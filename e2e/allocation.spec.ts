// Cost-center journey: an admin creates a department, assigns an agent to it, sets a budget, and sees the
// allocation page change — first the new budget line, then the agent's next event booked to the department.
import { expect, loginAs, test } from "./fixtures";

test("an admin creates a department, assigns an agent, sets a budget and sees the allocation page change", async ({ page }) => {
  const code = `E2E${Date.now().toString(36).toUpperCase()}`;
  await loginAs(page, "admin");
  await page.goto("/departments");

  await test.step("create the department under Operations", async () => {
    const form = page.getByRole("form", { name: "New department" });
    await form.getByLabel("Code").fill(code);
    await form.getByLabel("Name").fill("E2E Research");
    await form.getByLabel("Parent").selectOption("OPS");
    await form.getByRole("button", { name: "Create" }).click();
    await expect(page.getByTestId(`department-row-${code}`)).toContainText("E2E Research");
  });

  await test.step("assign an agent and set a budget", async () => {
    await page.getByRole("button", { name: `Manage ${code}` }).click();
    const assign = page.getByRole("form", { name: `Assign agent to ${code}` });
    await assign.getByLabel(`Agent to assign to ${code}`).fill("sandbox-experiments");
    await assign.getByRole("button", { name: "Assign agent" }).click();
    await expect(page.getByTestId(`department-row-${code}`)).toContainText("sandbox-experiments");
    const budget = page.getByRole("form", { name: `Budget for ${code}` });
    await budget.getByLabel(`Monthly budget for ${code}`).fill("250");
    await budget.getByRole("button", { name: "Save budget" }).click();
    await expect(page.getByTestId(`department-row-${code}`)).toContainText("250");
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
    // Session writes must come from the app's own origin (CSRF protection), as the browser's would.
    const origin = new URL(page.url()).origin;
    const key = await page.request.post("/api/v1/api-keys", { headers: { origin }, data: { name: `e2e ingest ${code}`, scopes: ["ingest"] } });
    expect(key.status()).toBe(201);
    const { secret } = (await key.json()) as { secret: string };
    const ingest = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${secret}` },
      data: { events: [{ id: `e2e-${code}`, timestamp: new Date().toISOString(), agent: "sandbox-experiments", type: "agent.action", cost: { amount: "12.34", currency: "USD" } }] },
    });
    expect(ingest.status()).toBe(200);
    expect(await ingest.json()).toMatchObject({ accepted: 1 });
    await page.reload();
    await expect(page.getByTestId(`allocation-total-${code}`)).toHaveText("$12.34");
    await expect(page.getByTestId(`allocation-row-${code}`)).toContainText("4.9%");
  });

  await test.step("the showback statement lists the agent", async () => {
    await page.getByTestId(`allocation-row-${code}`).getByRole("link", { name: "E2E Research" }).click();
    await expect(page.getByRole("table", { name: "Statement lines" })).toContainText("Sandbox Experiments");
    await expect(page.getByTestId("statement-total")).toHaveText("$12.34");
  });
});
