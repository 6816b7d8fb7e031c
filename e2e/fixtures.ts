// Shared e2e helpers: log in through the real UI as one of the seeded demo users.
import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { demoUser, type DemoRole } from "../prisma/demo-users";

export { expect, test } from "@playwright/test";

/** Signs in at /login as the seeded demo user for `role` and waits until the app has left the login page. */
export async function loginAs(page: Page, role: DemoRole): Promise<void> {
  const user = demoUser(role);
  await loginWith(page, user.email, user.password, role);
}

/** Signs in at /login with an email and password (e.g. a user a test created). */
export async function loginWith(page: Page, email: string, password: string, who = email): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  // Parallel workers signing in as the same user from one address can meet the per-pair sign-in delay (an attempt
  // holds its slot until its password is checked): the page then says how long to wait, and we try again.
  for (let attempt = 1; new URL(page.url()).pathname === "/login"; attempt++) {
    await page.getByRole("button", { name: "Sign in" }).click();
    const refused = page.getByRole("alert").filter({ hasText: "Too many attempts" });
    const left = await Promise.race([
      page.waitForURL((url) => url.pathname !== "/login", { timeout: 15_000 }).then(() => true, () => false),
      refused.waitFor({ timeout: 15_000 }).then(() => false, () => false),
    ]);
    if (left) break;
    if (attempt === 3) throw new Error(`sign-in as ${who} refused three times: ${await refused.textContent()}`);
    await page.waitForTimeout(2_000);
  }
  await expect(page).not.toHaveURL(/\/login(\?|$)/, { timeout: 15_000 });
}

/** The database behind the e2e app (written by tests/helpers/e2e-server.ts), for checks against raw events. */
export function e2eDatabaseUrl(): string {
  return fs.readFileSync(path.join(process.env.DATA_DIR ?? ".data", "e2e-database-url"), "utf8").trim();
}
