// First-admin bootstrap over real HTTP against the built app: the setup token works once, expires, is useless
// once an admin exists, and what it creates can sign in and is audited.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSetupToken } from "@/scripts/lib/production";
import { startAppServer, type AppServer } from "./helpers/app-server";

let app: AppServer;
let client: pg.Client;

const admin = { name: "First Admin", email: "owner@example.com", password: "a-long-enough-password", organizationName: "Acme" };

const setup = (body: unknown) =>
  fetch(`${app.baseUrl}/api/setup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function signIn(email: string, password: string): Promise<boolean> {
  const csrf = await fetch(`${app.baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${app.baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  return res.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token="));
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  app = await startAppServer({ databaseUrl: process.env.DATABASE_URL! });
});

afterAll(async () => {
  await app?.stop();
  await client?.end();
});

describe("first-admin setup link", () => {
  it("refuses an expired token and creates nothing", async () => {
    const token = await createSetupToken(client, 1);
    await new Promise((r) => setTimeout(r, 20));
    const page = await (await fetch(`${app.baseUrl}/setup?token=${token}`)).text();
    expect(page).toContain("invalid, expired or already used");
    const res = await setup({ token, ...admin });
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("setup_link_invalid");
    expect((await client.query("SELECT count(*)::int AS n FROM users")).rows[0].n).toBe(0);
  });

  it("answers 400 naming the field for a bad body, and the token stays usable", async () => {
    const token = await createSetupToken(client);
    const res = await setup({ token, ...admin, password: "short" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path)).toEqual(["password"]);
    expect((await client.query("SELECT count(*)::int AS n FROM setup_tokens WHERE used_at IS NULL AND expires_at > now()")).rows[0].n).toBe(1);
  });

  it("works once: creates the admin (and the organization), audited; the same link is dead afterwards", async () => {
    const token = await createSetupToken(client);
    const page = await (await fetch(`${app.baseUrl}/setup?token=${token}`)).text();
    expect(page).toContain("Create the first administrator");

    const res = await setup({ token, ...admin });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ user: { id: expect.any(Number), email: admin.email, name: admin.name, role: "admin" } });
    expect(await signIn(admin.email, admin.password)).toBe(true);
    const org = await client.query("SELECT name, demo FROM organizations");
    expect(org.rows).toEqual([{ name: "Acme", demo: false }]);
    const audit = await client.query("SELECT actor, action, after FROM audit_logs WHERE action = 'user.bootstrap'");
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor).toBe("system");
    expect(JSON.stringify(audit.rows[0].after)).not.toContain(admin.password);

    const again = await setup({ token, ...admin, email: "second@example.com" });
    expect(again.status).toBe(410);
    expect((await (await fetch(`${app.baseUrl}/setup?token=${token}`)).text())).toContain("invalid, expired or already used");
  });

  it("a fresh token is useless once an admin exists", async () => {
    const token = await createSetupToken(client);
    const res = await setup({ token, ...admin, email: "intruder@example.com" });
    expect(res.status).toBe(409);
    expect((await client.query("SELECT email FROM users")).rows).toEqual([{ email: admin.email }]);
  });
});
