// Sign-in journeys (issue 14): after signing in the browser never leaves the app for a callbackUrl on
// another host (item 7); repeated failures tell the user how long to wait, and an admin sees and lifts the
// limits (item 3).
import pg from "pg";
import { demoUser } from "../prisma/demo-users";
import { e2eDatabaseUrl, expect, loginAs, test } from "./fixtures";

// Forms that pass a naive startsWith("/") check, or that browsers read as another host.
const offSite = [
  "/\\evil.example/phish",
  "//evil.example/phish",
  "https://evil.example/phish",
  "/%5Cevil.example/phish",
  "\\\\evil.example/phish",
  "/\t/evil.example/phish",
  "/.//evil.example/phish",
];

for (const callbackUrl of offSite) {
  test(`callbackUrl ${JSON.stringify(callbackUrl)} keeps the browser on the app`, async ({ page, baseURL }) => {
    // Should the browser get there, evil.example answers, so the failure shows where it went.
    await page.route((url) => url.hostname === "evil.example", (route) => route.fulfill({ contentType: "text/html", body: "<h1>phished</h1>" }));
    const user = demoUser("viewer");
    await page.goto(`/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/\/login(\?|$)/, { timeout: 15_000 });
    await page.waitForLoadState();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await expect(page.getByText("phished")).toHaveCount(0);
  });
}

test("repeated failures say how long to wait", async ({ page }) => {
  await page.goto("/login");
  // An email of its own: the delay is per (email, address), and other specs sign in from this address too.
  await page.getByLabel("Email").fill(`nobody-${Date.now()}@e2e.test`);
  await page.getByLabel("Password").fill("not the password");
  const button = page.getByRole("button", { name: "Sign in" });
  const alert = page.locator("form").getByRole("alert");
  // Each failure starts a delay (1 s, then 2, 4, ...), so an immediate retry lands inside one however slow the machine.
  for (let i = 0; i < 6; i++) {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/auth/callback/credentials")), button.click()]);
    await expect(button).toBeEnabled();
    if ((await alert.textContent())?.startsWith("Too many attempts")) break;
    await expect(alert).toHaveText("Wrong email or password.");
  }
  await expect(alert).toHaveText(/^Too many attempts, try again in \d+ s\.$/);
});

test("an admin sees a limited account and unlocks it", async ({ page, baseURL }) => {
  await loginAs(page, "admin");
  const email = `limited-${Date.now()}@e2e.test`;
  const created = await page.request.post("/api/v1/users", {
    headers: { origin: baseURL! },
    data: { email, name: "Limited User", role: "viewer", departmentIds: [] },
  });
  expect(created.status()).toBe(201);
  // The state 20 failures leave behind (tests/sign-in-protection.integration.test.ts makes it over HTTP).
  const db = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await db.connect();
  await db.query("INSERT INTO login_windows (key, failures, ends_at) VALUES ($1, 20, now() + interval '15 minutes')", [`account:${email}`]);
  await db.query("INSERT INTO login_delays (email, source, failures, retry_at) VALUES ($1, '203.0.113.5', 11, now() + interval '15 minutes')", [email]);
  await db.end();

  await page.goto("/admin/users");
  const row = page.getByRole("row", { name: new RegExp(email) });
  await expect(row).toContainText(/limited until .+ \(20 failures\)/);
  await row.getByRole("button", { name: "Unlock" }).click();
  await expect(row).not.toContainText("limited until");
  await expect(row.getByRole("button", { name: "Unlock" })).toHaveCount(0);
});
