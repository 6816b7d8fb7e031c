// The dashboard frame: a skip link first, a collapsible sidebar that is remembered, and a usable phone layout
// (390 px: no sideways scrolling, the navigation behind a Menu button).
import { expect, loginAs, test } from "./fixtures";

test("the first Tab reaches “Skip to content”, which moves focus to the page", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/usage");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // The next Tab lands inside the page, not in the sidebar.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);
});

test("the sidebar collapses, says so to assistive technology, and stays collapsed after a reload", async ({ page }) => {
  await loginAs(page, "admin");
  const hide = page.getByRole("button", { name: "Hide sidebar" });
  await expect(hide).toHaveAttribute("aria-expanded", "true");
  await hide.click();
  const show = page.getByRole("button", { name: "Show sidebar" });
  await expect(show).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await page.reload();
  await expect(page.getByRole("button", { name: "Show sidebar" })).toHaveAttribute("aria-expanded", "false");
  await page.getByRole("button", { name: "Show sidebar" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
});

test.describe("at 390 px wide", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const url of ["/", "/usage", "/workload", "/roi", "/allocation", "/invoices", "/admin", "/admin/model-prices"]) {
    test(`${url} does not scroll sideways`, async ({ page }) => {
      await loginAs(page, "admin");
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      const { overflow, culprits } = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const scrolls = (el: Element) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
        // The outermost elements sticking out past the right edge, outside any scrolling box: what to fix.
        const out: Element[] = [];
        const walk = (el: Element) => {
          for (const child of el.children) {
            if (child.getBoundingClientRect().right > width + 1 && getComputedStyle(child).position !== "fixed") out.push(child);
            else if (!scrolls(child)) walk(child);
          }
        };
        walk(document.body);
        return {
          overflow: document.documentElement.scrollWidth - width,
          culprits: out.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${(el.textContent ?? "").slice(0, 40)}" (${Math.round(el.getBoundingClientRect().right)}px)`),
        };
      });
      expect(overflow, `${url} is ${overflow}px wider than the screen: ${culprits.join(", ")}`).toBeLessThanOrEqual(0);
    });
  }

  test("the navigation is reachable through the Menu button", async ({ page }) => {
    await loginAs(page, "admin");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await menu.click();
    // While the drawer is open the rest of the page is hidden from assistive technology (a modal), the button too.
    await expect(page.locator('button[aria-controls="mobile-nav"]')).toHaveAttribute("aria-expanded", "true");
    const drawer = page.getByRole("dialog", { name: "Menu" });
    await drawer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).click();
    await expect(page).toHaveURL(/\/usage/);
    await expect(drawer).toBeHidden();
    await expect(page.getByRole("heading", { level: 1, name: "Usage" })).toBeVisible();
    // Escape closes it and gives focus back to the button.
    await menu.click();
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: "Menu" })).toBeHidden();
    await expect(menu).toBeFocused();
  });
});
