// Security journeys in a real browser: two-factor enrolment on the Security page and the two-step sign-in; single
// sign-on against a real OpenID Connect provider (oidc-provider) that never takes over an account by email.
import bcrypt from "bcryptjs";
import { Secret, TOTP } from "otpauth";
import pg from "pg";
import type { Page } from "@playwright/test";
import { expect as baseExpect, test } from "./fixtures";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcServer } from "./oidc-server";
import { freePort, startAppServer, type AppServer } from "../tests/helpers/app-server";
import { createTestDatabase, dropTestDatabase, ensureTemplate, provideTestServer, seedBasics } from "../tests/helpers/db";

const PASSWORD = "a-long-test-password-42";
// Sign-in round trips (bcrypt, the IdP's redirects) can take several seconds on a busy machine.
const expect = baseExpect.configure({ timeout: 15_000 });

let app: AppServer;
let oidc: { issuer: string; stop(): Promise<void> };
let databaseUrl: string;
let stopDb: () => Promise<void>;
let client: pg.Client;

// Logins at the test IdP: "unverified:x@y" → email_verified false; "noclaim:x@y" → no email_verified claim;
// "alias:x@y" → another subject with the email x@y; anything else → subject and verified email = the login.
function claimsFor(login: string) {
  const [flag, email] = login.includes(":") ? login.split(":", 2) : ["", login];
  const claims = { sub: login, email: email!, name: `SSO ${email!.split("@")[0]}` };
  if (flag === "unverified") return { ...claims, email_verified: false };
  if (flag === "noclaim") return claims;
  return { ...claims, email_verified: true };
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const server = await provideTestServer();
  stopDb = server.stop;
  databaseUrl = await createTestDatabase(await ensureTemplate(server.baseUrl), "security");
  await seedBasics(databaseUrl);
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const hash = await bcrypt.hash(PASSWORD, 4);
  await client.query(
    `INSERT INTO users (email, name, password_hash, role, updated_at) VALUES
       ('totp@security.test', 'Tess Totp', $1, 'viewer', now()),
       ('boss@sso.example', 'Boss Admin', $1, 'admin', now())`,
    [hash],
  );
  await client.query("INSERT INTO users (email, name, role, updated_at) VALUES ('invited@partner.example', 'Invited Person', 'finance', now())");
  const oidcPort = await freePort();
  app = await startAppServer({
    databaseUrl,
    env: { OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME: "Test IdP", SSO_DOMAIN_ROLES: "sso.example:ops" },
  });
  oidc = await startOidcServer(oidcPort, `${app.baseUrl}/api/auth/callback/oidc`, claimsFor);
});

test.afterAll(async () => {
  await app?.stop();
  await oidc?.stop();
  await client?.end();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
  await stopDb?.();
});

async function passwordLogin(page: Page, email: string) {
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function idpLogin(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

async function ssoLogin(page: Page, login: string) {
  // A fresh browser state, so the IdP asks who signs in instead of reusing its last session.
  await page.context().clearCookies();
  await page.goto(`${app.baseUrl}/login`);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await idpLogin(page, login);
}

async function expectRefused(page: Page) {
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/);
  expect(await (await page.request.get(`${app.baseUrl}/api/auth/session`)).json()).toEqual({});
}

test("two-factor: enrol on the Security page, then sign in with a code; a wrong code is refused", async ({ page }) => {
  await passwordLogin(page, "totp@security.test");
  await expect(page).toHaveURL(`${app.baseUrl}/`);
  const totp = await test.step("enrol", async () => {
    await page.getByRole("link", { name: "Security" }).click();
    await page.getByRole("button", { name: "Set up two-factor" }).click();
    await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    const secret = (await page.getByTestId("totp-secret").textContent())!;
    const totp = new TOTP({ digits: 6, period: 30, secret: Secret.fromBase32(secret) });
    await page.getByLabel("Code from the app").fill(totp.generate());
    await page.getByRole("button", { name: "Turn on two-factor" }).click();
    await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect(page.getByText("10 recovery codes left")).toBeVisible();
    return totp;
  });
  await test.step("sign out", async () => {
    await page.goto(`${app.baseUrl}/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
  });
  await test.step("the password alone leads to the code step; a wrong code is refused", async () => {
    await passwordLogin(page, "totp@security.test");
    await expect(page.getByLabel("Authentication code")).toBeVisible();
    await page.getByLabel("Authentication code").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong or already used code" })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });
  await test.step("the right code signs in", async () => {
    // A wrong code counts like a wrong password: this address waits 1 s before its next attempt (sign-in limits).
    await page.waitForTimeout(1_200);
    // The enrolment used the current time step; the next one is within the accepted window and not spent.
    await page.getByLabel("Authentication code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(`${app.baseUrl}/`);
    await expect(page.getByRole("navigation", { name: "Main" })).toContainText("Tess Totp");
  });
});

test("SSO: an identity without email_verified true is refused, whether false or missing", async ({ page }) => {
  await ssoLogin(page, "unverified:someone@sso.example");
  await expectRefused(page);
  await ssoLogin(page, "noclaim:someone.else@sso.example");
  await expectRefused(page);
  const { rows } = await client.query("SELECT 1 FROM users WHERE email IN ('someone@sso.example', 'someone.else@sso.example')");
  expect(rows).toHaveLength(0);
});

test("SSO: an identity with a password admin's email does not take over the account", async ({ page }) => {
  await ssoLogin(page, "boss@sso.example");
  await expectRefused(page);
  const { rows } = await client.query("SELECT 1 FROM user_identities i JOIN users u ON u.id = i.user_id WHERE u.email = 'boss@sso.example'");
  expect(rows).toHaveLength(0);
});

test("SSO: the signed-in owner links the identity on the Security page; then it signs in", async ({ page }) => {
  await passwordLogin(page, "boss@sso.example");
  await expect(page).toHaveURL(`${app.baseUrl}/`);
  await page.goto(`${app.baseUrl}/account`);
  await page.getByRole("button", { name: "Link Test IdP" }).click();
  await idpLogin(page, "boss@sso.example");
  await expect(page).toHaveURL(`${app.baseUrl}/account`);
  await expect(page.getByRole("region", { name: "Single sign-on" })).toContainText("Test IdP: boss@sso.example");
  await page.goto(`${app.baseUrl}/`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await ssoLogin(page, "boss@sso.example");
  await expect(page).toHaveURL(`${app.baseUrl}/`);
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("Boss Admin");
});

test("SSO: an invitation is consumed by its first identity; another identity with that email is refused", async ({ page, browser }) => {
  await ssoLogin(page, "invited@partner.example");
  await expect(page).toHaveURL(`${app.baseUrl}/`);
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("finance");
  const other = await browser.newPage();
  await ssoLogin(other, "alias:invited@partner.example");
  await expectRefused(other);
  await other.close();
});

test("SSO: an identity is pinned to its issuer; the same subject from this issuer does not match one from another", async ({ page }) => {
  const { rows } = await client.query<{ id: number }>(
    "INSERT INTO users (email, name, role, updated_at) VALUES ('pinned@partner.example', 'Pinned', 'viewer', now()) RETURNING id",
  );
  await client.query(
    "INSERT INTO user_identities (user_id, provider, issuer, subject, email) VALUES ($1, 'oidc', 'https://another-idp.example', 'pinned@partner.example', 'pinned@partner.example')",
    [rows[0]!.id],
  );
  await ssoLogin(page, "pinned@partner.example");
  await expectRefused(page);
});
