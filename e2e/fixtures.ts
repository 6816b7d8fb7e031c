// Shared e2e helpers: log in through the real UI as one of the seeded demo users.
import { expect, type Page } from "@playwright/test";
import { demoUser, type DemoRole } from "../prisma/demo-users";

export { expect, test } from "@playwright/test";

/** Signs in at /login as the seeded demo user for `role` and waits until the app has left the login page. */
export async function loginAs(page: Page, role: DemoRole): Promise<void> {
  const user = demoUser(role);
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login(\?|$)/, { timeout: 15_000 });
}
