// Administration journeys: an admin creates an API key and sees its secret exactly once; sets raw event retention
// and reads its dry run; a viewer cannot reach admin pages; single sign-on round trip against a real local OpenID
// Connect provider.
import pg from "pg";
import { expect, loginAs, test } from "./fixtures";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcServer } from "./oidc-server";
import { freePort, startAppServer, type AppServer } from "../tests/helpers/app-server";
import { createTestDatabase, dropTestDatabase, ensureTemplate, provideTestServer, seedBasics } from "../tests/helpers/db";

test("an admin creates an API key and sees the secret once", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/admin/api-keys");
  const name = `e2e key ${Date.now()}`;
  await test.step("create", async () => {
    const form = page.getByRole("form", { name: "New API key" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Scopes").selectOption(["ingest"]);
    await form.getByLabel("Requests per minute").fill("120");
    await form.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "API key created" })).toBeVisible();
  });
  const secret = await test.step("the secret is shown", async () => {
    const shown = page.getByTestId("new-api-key-secret");
    await expect(shown).toHaveText(/^al_/);
    return (await shown.textContent())!;
  });
  await test.step("the key works for ingestion, and the list shows only its prefix", async () => {
    const res = await page.request.post("/api/v1/events", { headers: { authorization: `Bearer ${secret}` }, data: { events: [] } });
    expect(res.status()).not.toBe(401);
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText(secret.slice(0, 10));
    await expect(row).toContainText("120");
  });
  await test.step("after dismissing or reloading, the secret is gone for good", async () => {
    await page.getByRole("button", { name: "I have stored it" }).click();
    await expect(page.getByTestId("new-api-key-secret")).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("row", { name: new RegExp(name) })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    const list = await page.request.get("/api/v1/api-keys");
    expect(await list.text()).not.toContain(secret);
  });
  await test.step("the OTLP usage source changes from traces to metrics and stays changed", async () => {
    const source = page.getByRole("row", { name: new RegExp(name) }).getByLabel(`OTLP usage source of ${name}`);
    await expect(source).toHaveValue("traces");
    await source.selectOption("metrics");
    await expect(page.getByTestId("toast-success").filter({ hasText: "API key saved" })).toBeVisible();
    await page.reload();
    await expect(page.getByRole("row", { name: new RegExp(name) }).getByLabel(`OTLP usage source of ${name}`)).toHaveValue("metrics");
    const keys = (await (await page.request.get("/api/v1/api-keys")).json()).items as { name: string; usageSource: string }[];
    expect(keys.find((k) => k.name === name)?.usageSource).toBe("metrics");
  });
  await test.step("revoking stops the key", async () => {
    await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("alertdialog", { name: `Revoke “${name}”?` }).getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "API key revoked" })).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("revoked");
    const res = await page.request.post("/api/v1/events", { headers: { authorization: `Bearer ${secret}` }, data: { events: [] } });
    expect(res.status()).toBe(401);
  });
});

test("an admin sets raw event retention and sees the dry run; nothing is removed by looking", async ({ page }) => {
  await loginAs(page, "admin");
  await page.goto("/admin/settings");
  const form = page.getByRole("form", { name: "Raw event retention setting" });
  const months = form.getByLabel("Keep raw events for (months)");
  await test.step("fewer than 3 months is refused with the reason", async () => {
    await months.fill("2");
    await form.getByRole("button", { name: "Save retention" }).click();
    await expect(form).toContainText("must be at least 3");
  });
  await test.step("3 months, archive: saved, and the dry run names its cutoff", async () => {
    await months.fill("3");
    await form.getByLabel("Older months are").selectOption("archive");
    await form.getByRole("button", { name: "Save retention" }).click();
    await expect(page.getByTestId("toast-success").filter({ hasText: "Retention setting saved" })).toBeVisible();
    await expect(page.getByText(/^Dry run: months ending before \d{4}-\d{2}-01/)).toBeVisible();
    await expect(page.getByTestId("retention-boundary")).toHaveText("No raw events have been removed.");
  });
  await test.step("back to forever", async () => {
    await months.fill("");
    await form.getByRole("button", { name: "Save retention" }).click();
    await expect(page.getByText("Dry run: retention is off, nothing would be removed.")).toBeVisible();
  });
});

test("a viewer cannot reach admin pages", async ({ page }) => {
  await loginAs(page, "viewer");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  for (const path of ["/admin", "/admin/users", "/admin/api-keys", "/admin/settings", "/admin/audit-log"]) {
    await page.goto(path);
    await expect(page.getByRole("alert").filter({ hasText: "Not allowed" })).toBeVisible();
  }
  const res = await page.request.get("/api/v1/users");
  expect(res.status()).toBe(403);
});

test.describe("single sign-on", () => {
  let app: AppServer;
  let oidc: { issuer: string; stop(): Promise<void> };
  let databaseUrl: string;
  let stopDb: () => Promise<void>;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const server = await provideTestServer();
    stopDb = server.stop;
    databaseUrl = await createTestDatabase(await ensureTemplate(server.baseUrl), "sso");
    await seedBasics(databaseUrl);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // An admin's invitation: a user row without a password, with a finance role.
    await client.query("INSERT INTO users (email, name, role, updated_at) VALUES ('invited@partner.example', 'Invited Person', 'finance', now())");
    await client.end();
    // The app only contacts the provider at sign-in, so it can start first and tell us its callback URL.
    const oidcPort = await freePort();
    app = await startAppServer({
      databaseUrl,
      env: {
        OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
        OIDC_CLIENT_ID,
        OIDC_CLIENT_SECRET,
        OIDC_NAME: "Test IdP",
        SSO_DOMAIN_ROLES: "sso.example:ops",
      },
    });
    oidc = await startOidcServer(oidcPort, `${app.baseUrl}/api/auth/callback/oidc`);
  });

  test.afterAll(async () => {
    await app?.stop();
    await oidc?.stop();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    await stopDb?.();
  });

  async function ssoLogin(page: import("@playwright/test").Page, login: string) {
    await page.goto(`${app.baseUrl}/login`);
    await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
  }

  test("a user from a mapped email domain signs in and gets that domain's role", async ({ page }) => {
    await ssoLogin(page, "new.person@sso.example");
    await expect(page).toHaveURL(`${app.baseUrl}/`);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toContainText("SSO new.person");
    await expect(nav).toContainText("ops");
  });

  test("an invited user signs in with the role the admin gave them", async ({ page }) => {
    await ssoLogin(page, "invited@partner.example");
    await expect(page).toHaveURL(`${app.baseUrl}/`);
    await expect(page.getByRole("navigation", { name: "Main" })).toContainText("finance");
  });

  test("anyone else is refused", async ({ page }) => {
    await ssoLogin(page, "stranger@nowhere.example");
    await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
    await expect(page.getByRole("alert").filter({ hasText: "may not sign in" })).toBeVisible();
    const session = await page.request.get(`${app.baseUrl}/api/auth/session`);
    expect(await session.json()).toEqual({});
  });
});
