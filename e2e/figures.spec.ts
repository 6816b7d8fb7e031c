// One source per figure, as a user sees it: the month-end forecast is the same on Overview and Allocation, and an
// agent's cost per task is the same on Workload and on the agent's page; periods finance uses move the view.
import { expect, loginAs, test } from "./fixtures";

test("the same forecast and cost per task on every page", async ({ page }) => {
  await loginAs(page, "finance");

  let forecast = "";
  let month = "";
  await test.step("Overview shows the month-end forecast", async () => {
    await page.goto("/");
    const card = page.getByTestId("overview-forecast");
    await expect(card).toContainText("$");
    forecast = (await card.textContent())!.trim();
    month = /\((\d{4}-\d{2})\)/.exec((await page.getByText(/Month-end forecast \(/).textContent())!)![1]!;
  });

  await test.step("Allocation for the same month forecasts the same amount", async () => {
    await page.goto("/allocation");
    await page.getByRole("button", { name: "This month" }).click();
    await expect(page).toHaveURL(new RegExp(`period=${month}`));
    await expect(page.getByTestId("allocation-forecast")).toHaveText(forecast);
  });

  await test.step("Workload's cost per task for an agent equals the agent page's", async () => {
    await page.goto("/workload?groupBy=agent");
    const cell = page.locator('[data-testid^="workload-cost-per-task-"]').first();
    await expect(cell).toContainText("$");
    const value = (await cell.textContent())!.trim();
    expect(value).not.toBe("$0.00");
    const key = (await cell.getAttribute("data-testid"))!.slice("workload-cost-per-task-".length);
    await page.goto(`/agents/${encodeURIComponent(key)}`);
    await expect(page.getByTestId("agent-cost-per-task")).toHaveText(value);
  });

  await test.step("presets and previous/next move the period, the active preset pressed", async () => {
    await page.goto("/usage");
    await expect(page.getByRole("button", { name: "Last 30 days" })).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("button", { name: "Last month" }).click();
    await expect(page.getByRole("button", { name: "Last month" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("button", { name: "Last 30 days" })).toHaveAttribute("aria-pressed", "false");
    const from = await page.getByLabel("From").inputValue();
    await page.getByRole("button", { name: "Previous period" }).click();
    await expect(page.getByLabel("From")).not.toHaveValue(from);
    await expect(page.getByLabel("From")).toHaveValue(/-01$/);
    await page.getByRole("button", { name: "Next period" }).click();
    await expect(page.getByLabel("From")).toHaveValue(from);
  });
});
