// Sessions, two-factor and the organization's two-factor rule over real HTTP against the built app and PostgreSQL:
// a copied session cookie dies at sign-out, password change/reset, deactivation and "sign out everywhere"; TOTP
// sign-in needs the code, refuses wrong and replayed codes, takes a recovery code once; the org setting forces
// admin and finance password users to enrol before anything else (pages redirect, API 403).
import bcrypt from "bcryptjs";
import { Secret, TOTP } from "otpauth";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { emails, PASSWORD, seedFixture } from "./authorization/fixture";

let app: AppServer;
let client: pg.Client;

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  await seedFixture(databaseUrl);
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  app = await startAppServer({ databaseUrl });
});

afterAll(async () => {
  await app?.stop();
  await client?.end();
});

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

/** next-auth's credentials sign-in over HTTP: the session cookie, or the error next-auth reports. */
async function signIn(email: string, password = PASSWORD, code?: string): Promise<{ cookie: string | null; error: string | null }> {
  const csrf = await fetch(`${app.baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = cookiesOf(csrf);
  const post = () =>
    fetch(`${app.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies.join("; ") },
      body: new URLSearchParams({ csrfToken, email, password, ...(code ? { code } : {}), json: "true" }),
    });
  let res = await post();
  // A wrong password delays the next attempt from this address (1 s, then doubling; tests/sign-in-protection covers
  // it): these tests are about sessions and second factors, so they wait the delay out.
  for (let waits = 0; res.status === 429 && waits < 4; waits++) {
    await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? 1) * 1000 + 100));
    res = await post();
  }
  const session = cookiesOf(res).find((c) => c.startsWith("next-auth.session-token="));
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  return { cookie: session ? [...csrfCookies, session].join("; ") : null, error: new URL(location, app.baseUrl).searchParams.get("error") };
}

async function mustSignIn(email: string, password = PASSWORD, code?: string): Promise<string> {
  const { cookie, error } = await signIn(email, password, code);
  if (!cookie) throw new Error(`sign-in as ${email} refused: ${error}`);
  return cookie;
}

const api = (cookie: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  fetch(app.baseUrl + path, {
    method: init.method ?? "GET",
    redirect: "manual",
    headers: { cookie, origin: app.baseUrl, ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

/** Where a page sends this cookie: "ok", or the path it redirects to. */
async function page(cookie: string, path: string): Promise<string> {
  const res = await fetch(app.baseUrl + path, { redirect: "manual", headers: { cookie } });
  return res.status >= 300 && res.status < 400 ? new URL(res.headers.get("location")!, app.baseUrl).pathname : res.status === 200 ? "ok" : `status ${res.status}`;
}

/** A fresh password user for one test, so tests do not share sessions. */
async function newUser(role: "admin" | "finance" | "ops" | "viewer", name: string, password = PASSWORD) {
  const email = `${name}@sessions.test`;
  const { rows } = await client.query<{ id: number }>(
    "INSERT INTO users (email, name, password_hash, role, updated_at) VALUES ($1, $2, $3, $4, now()) RETURNING id",
    [email, name, await bcrypt.hash(password, 4), role],
  );
  return { id: rows[0]!.id, email };
}

async function nextAuthSignOut(cookie: string) {
  const csrf = await fetch(`${app.baseUrl}/api/auth/csrf`, { headers: { cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${app.baseUrl}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  expect(res.status).toBeLessThan(400);
}

describe("sessions end server-side", () => {
  test("a cookie copied before sign-out is refused after it: 401 on the API, the login page for pages", async () => {
    const user = await newUser("viewer", "copier");
    const cookie = await mustSignIn(user.email);
    // /api/v1/usage existed before server-side sessions: on that code the copy kept working for 8 hours.
    expect((await api(cookie, "/api/v1/usage")).status).toBe(200);
    expect(await page(cookie, "/")).toBe("ok");
    const copy = cookie;
    await nextAuthSignOut(cookie);
    expect((await api(copy, "/api/v1/usage")).status).toBe(401);
    expect((await api(copy, "/api/v1/account")).status).toBe(401);
    expect(await page(copy, "/")).toBe("/login");
    expect(await (await fetch(`${app.baseUrl}/api/auth/session`, { headers: { cookie: copy } })).json()).toEqual({});
  });

  test("changing your password ends your other sessions, not this one; the old password stops working", async () => {
    const user = await newUser("viewer", "changer");
    const here = await mustSignIn(user.email);
    const elsewhere = await mustSignIn(user.email);
    const wrong = await api(here, "/api/v1/account/password", { method: "POST", body: { currentPassword: "nope", newPassword: "another-long-password" } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toContain("currentPassword");
    expect((await api(elsewhere, "/api/v1/account")).status).toBe(200);
    const ok = await api(here, "/api/v1/account/password", { method: "POST", body: { currentPassword: PASSWORD, newPassword: "another-long-password" } });
    expect(ok.status).toBe(200);
    expect((await api(elsewhere, "/api/v1/account")).status).toBe(401);
    expect(await page(elsewhere, "/usage")).toBe("/login");
    expect((await api(here, "/api/v1/account")).status).toBe(200);
    expect((await signIn(user.email)).cookie).toBeNull();
    await mustSignIn(user.email, "another-long-password");
  });

  test("an admin's password reset and a deactivation end every session of the user", async () => {
    const admin = await mustSignIn(emails.admin);
    const user = await newUser("ops", "reset");
    const before = await mustSignIn(user.email);
    expect((await api(admin, `/api/v1/users/${user.id}`, { method: "PATCH", body: { password: "reset-by-admin-123" } })).status).toBe(200);
    expect((await api(before, "/api/v1/usage")).status).toBe(401);
    const after = await mustSignIn(user.email, "reset-by-admin-123");
    expect((await api(admin, `/api/v1/users/${user.id}`, { method: "PATCH", body: { active: false } })).status).toBe(200);
    expect((await api(after, "/api/v1/account")).status).toBe(401);
    // Reactivated, the old cookie stays dead.
    expect((await api(admin, `/api/v1/users/${user.id}`, { method: "PATCH", body: { active: true } })).status).toBe(200);
    expect((await api(after, "/api/v1/account")).status).toBe(401);
  });

  test("sign out everywhere: other sessions, then this one too; an admin for another user", async () => {
    const user = await newUser("finance", "everywhere");
    const a = await mustSignIn(user.email);
    const b = await mustSignIn(user.email);
    const bad = await api(b, "/api/v1/account/sign-out-everywhere", { method: "POST", body: {} });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("includeThisSession");
    const others = await api(b, "/api/v1/account/sign-out-everywhere", { method: "POST", body: { includeThisSession: false } });
    expect(await others.json()).toEqual({ sessionsEnded: 1 });
    expect((await api(a, "/api/v1/account")).status).toBe(401);
    expect((await api(b, "/api/v1/account")).status).toBe(200);
    expect((await api(b, "/api/v1/account/sign-out-everywhere", { method: "POST", body: { includeThisSession: true } })).status).toBe(200);
    expect((await api(b, "/api/v1/account")).status).toBe(401);

    const c = await mustSignIn(user.email);
    const admin = await mustSignIn(emails.admin);
    expect((await api(c, `/api/v1/users/${user.id}/sign-out`, { method: "POST" })).status).toBe(403);
    const res = await api(admin, `/api/v1/users/${user.id}/sign-out`, { method: "POST" });
    expect(await res.json()).toEqual({ sessionsEnded: 1 });
    expect((await api(c, "/api/v1/account")).status).toBe(401);
    expect(await page(c, "/")).toBe("/login");
  });
});

/** Enrols the signed-in user through the API; returns their TOTP generator, recovery codes and the step used. */
async function enrol(cookie: string) {
  const start = await api(cookie, "/api/v1/account/two-factor", { method: "POST" });
  expect(start.status).toBe(200);
  const { secret, uri, qrCode } = (await start.json()) as { secret: string; uri: string; qrCode: string };
  expect(uri).toContain(`secret=${secret}`);
  expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
  const totp = new TOTP({ digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  const wrong = await api(cookie, "/api/v1/account/two-factor/confirm", { method: "POST", body: { code: totp.generate({ timestamp: Date.now() - 120_000 }) } });
  expect(wrong.status).toBe(400);
  const confirm = await api(cookie, "/api/v1/account/two-factor/confirm", { method: "POST", body: { code: totp.generate() } });
  expect(confirm.status).toBe(200);
  const { recoveryCodes } = (await confirm.json()) as { recoveryCodes: string[] };
  expect(recoveryCodes).toHaveLength(10);
  return { totp, secret, recoveryCodes };
}

describe("two-factor sign-in", () => {
  test("enrol; then the password alone is not enough, wrong and replayed codes are refused, a recovery code works once", async () => {
    const user = await newUser("viewer", "totp");
    const cookie = await mustSignIn(user.email);
    const { totp, secret, recoveryCodes } = await enrol(cookie);
    // The secret is encrypted at rest and the recovery codes are hashed.
    const stored = await client.query<{ secret: string }>("SELECT secret FROM user_two_factor WHERE user_id = $1", [user.id]);
    expect(stored.rows[0]!.secret).not.toContain(secret);
    const hashes = await client.query<{ hash: string }>("SELECT hash FROM user_recovery_codes WHERE user_id = $1", [user.id]);
    expect(hashes.rows.map((r) => r.hash).join()).not.toContain(recoveryCodes[0]!.replace(/-/g, ""));

    expect(await signIn(user.email)).toEqual({ cookie: null, error: "TwoFactorRequired" });
    expect(await signIn(user.email, "wrong-password", totp.generate())).toEqual({ cookie: null, error: "CredentialsSignin" });
    expect(await signIn(user.email, PASSWORD, "000000")).toMatchObject({ cookie: null, error: "TwoFactorInvalid" });
    // The confirmation used the current step, so the next one (within the one-step window) signs in; then it is spent.
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const first = await signIn(user.email, PASSWORD, next);
    expect(first.error).toBeNull();
    expect((await api(first.cookie!, "/api/v1/account")).status).toBe(200);
    expect(await signIn(user.email, PASSWORD, next)).toMatchObject({ cookie: null, error: "TwoFactorInvalid" });
    expect(await signIn(user.email, PASSWORD, totp.generate())).toMatchObject({ cookie: null, error: "TwoFactorInvalid" });

    const recovery = recoveryCodes[3]!;
    expect((await signIn(user.email, PASSWORD, recovery.toUpperCase())).cookie).not.toBeNull();
    expect(await signIn(user.email, PASSWORD, recovery)).toMatchObject({ cookie: null, error: "TwoFactorInvalid" });
    const overview = (await (await api(cookie, "/api/v1/account")).json()) as { twoFactor: unknown };
    expect(overview.twoFactor).toEqual({ enabled: true, recoveryCodesLeft: 9 });

    // Turning it off needs the password and a code.
    const noPassword = await api(cookie, "/api/v1/account/two-factor/disable", { method: "POST", body: { password: "wrong", code: recoveryCodes[4] } });
    expect(noPassword.status).toBe(400);
    expect((await api(cookie, "/api/v1/account/two-factor/disable", { method: "POST", body: { password: PASSWORD, code: recoveryCodes[4] } })).status).toBe(200);
    expect((await signIn(user.email)).cookie).not.toBeNull();
  });

  test("the users list shows who has two-factor on", async () => {
    const admin = await mustSignIn(emails.admin);
    const { items } = (await (await api(admin, "/api/v1/users")).json()) as { items: { email: string; twoFactor: boolean }[] };
    expect(items.find((u) => u.email === "totp@sessions.test")?.twoFactor).toBe(false);
    expect(items.find((u) => u.email === emails.viewer)?.twoFactor).toBe(false);
  });
});

describe("organization setting: require SSO or two-factor for admin and finance", () => {
  test("an admin or finance password user without two-factor is sent to enrol first; other roles are not", async () => {
    const setter = await newUser("admin", "setter");
    const admin = await mustSignIn(setter.email);
    const finance = await newUser("finance", "forced");
    const financeCookie = await mustSignIn(finance.email);
    const viewer = await mustSignIn(emails.viewer);
    const on = await api(admin, "/api/v1/settings", { method: "PATCH", body: { requireSsoOrTwoFactor: true } });
    expect(on.status).toBe(200);
    expect(await on.json()).toMatchObject({ requireSsoOrTwoFactor: true });

    // Already signed-in sessions are held too, not only new ones.
    const blocked = await api(financeCookie, "/api/v1/usage");
    expect(blocked.status).toBe(403);
    expect(((await blocked.json()) as { error: { message: string } }).error.message).toMatch(/requires two-factor.*\/account/);
    expect(await page(financeCookie, "/")).toBe("/account");
    expect(await page(financeCookie, "/invoices")).toBe("/account");
    expect(await page(financeCookie, "/account")).toBe("ok");
    expect((await api(financeCookie, "/api/v1/account")).status).toBe(200);
    expect((await api(viewer, "/api/v1/usage")).status).toBe(200);
    expect(await page(viewer, "/")).toBe("ok");
    // The admin who switched it on is held as well, until they enrol.
    expect((await api(admin, "/api/v1/settings")).status).toBe(403);

    await enrol(financeCookie);
    expect((await api(financeCookie, "/api/v1/usage")).status).toBe(200);
    expect(await page(financeCookie, "/")).toBe("ok");
  });
});
