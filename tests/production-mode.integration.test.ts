// The start path's modes, run as `npm start` runs it (tsx scripts/start.ts) against this file's database:
// production validates its settings, refuses demo data, never seeds, and writes the setup link to a 0600 file
// (its path printed, never the link); a plain start on an empty DATABASE_URL seeds nothing either.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { baseEnv, dataDir, root } from "@/scripts/lib/common";

// Each case starts tsx child processes (a few seconds each, much more on a busy machine).
vi.setConfig({ testTimeout: 240_000 });

const databaseUrl = process.env.DATABASE_URL!;
let client: pg.Client;
let tmpData: string;

const productionEnv = () => ({
  DATABASE_URL: databaseUrl,
  NEXTAUTH_SECRET: "production-mode-test-secret-0123456789abcdef",
  NEXTAUTH_URL: "https://ledger.example.com",
  TRUSTED_PROXIES: "none",
});

type Run = { code: number | null; output: string };

/**
 * Runs `tsx scripts/start.ts start ...` in its own process group. With `until`, the group is stopped as soon as
 * the output matches (before `next build`/`next start` would run): the checks and seeding happen before that.
 */
function startScript(args: string[], env: Record<string, string | undefined>, until?: RegExp): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/start.ts", "start", ...args], {
      cwd: root,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: baseEnv({ AGENTLEDGER_MODE: undefined, DATABASE_URL: undefined, NEXTAUTH_SECRET: undefined, NEXTAUTH_URL: undefined, TRUSTED_PROXIES: undefined, DATA_DIR: tmpData, PORT: "1", ...env }),
    });
    let output = "";
    let stopped = false;
    const onData = (d: Buffer) => {
      output += d.toString();
      if (until && !stopped && until.test(output)) {
        stopped = true;
        process.kill(-child.pid!, "SIGKILL");
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: stopped ? 0 : code, output });
    });
  });
}

const count = async (table: string) => Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

beforeAll(async () => {
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
});

beforeEach(async () => {
  tmpData = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-prodmode-"));
  // The change stamps: without them the script would regenerate the Prisma client.
  for (const stamp of ["prisma-generate.hash"]) {
    if (fs.existsSync(path.join(dataDir, stamp))) fs.copyFileSync(path.join(dataDir, stamp), path.join(tmpData, stamp));
  }
  await client.query("TRUNCATE users, organizations, setup_tokens, audit_logs RESTART IDENTITY CASCADE");
});

afterAll(async () => {
  await client.end();
});

describe("production mode", () => {
  it("refuses to start without its required settings, naming each", async () => {
    const run = await startScript(["--production"], { DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: productionEnv().NEXTAUTH_SECRET });
    expect(run.code).toBe(1);
    expect(run.output).toContain("Invalid configuration");
    expect(run.output).toMatch(/NEXTAUTH_URL: is required in production mode/);
    expect(run.output).toMatch(/TRUSTED_PROXIES: is required in production mode/);
    expect(run.output).not.toContain("NEXTAUTH_SECRET:");
  });

  it("AGENTLEDGER_MODE=production with the plain start command is production mode too", async () => {
    const run = await startScript([], { AGENTLEDGER_MODE: "production", DATABASE_URL: databaseUrl });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/NEXTAUTH_SECRET: /);
    expect(run.output).toMatch(/TRUSTED_PROXIES: is required/);
  });

  it("refuses demo accounts and prints the command that removes them", async () => {
    await client.query("INSERT INTO organizations (id, name, updated_at) VALUES (1, 'Real Co', now())");
    await client.query("INSERT INTO users (email, name, role, updated_at) VALUES ('admin@demo.agentledger.dev', 'Ada', 'admin', now())");
    const run = await startScript(["--production"], productionEnv());
    expect(run.code).toBe(1);
    expect(run.output).toContain("production mode refuses to start");
    expect(run.output).toContain("admin@demo.agentledger.dev");
    expect(run.output).toContain("npm run demo:remove -- --yes");
  });

  it("refuses the seed's demo organization even without demo users", async () => {
    await client.query("INSERT INTO organizations (id, name, demo, updated_at) VALUES (1, 'Northwind Holdings', true, now())");
    const run = await startScript(["--production"], productionEnv());
    expect(run.code).toBe(1);
    expect(run.output).toContain("organizations.demo = true");
  });

  it("never seeds an empty database; writes the setup link to a 0600 file and prints only its path", async () => {
    const run = await startScript(["--production"], productionEnv(), /The link is in/);
    expect(run.output).toContain("The link is in");
    const file = path.join(tmpData, "setup-link.txt");
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("600");
    const link = fs.readFileSync(file, "utf8").trim();
    expect(link).toMatch(/^https:\/\/ledger\.example\.com\/setup\?token=[\w-]{40,}$/);
    const token = new URL(link).searchParams.get("token")!;
    expect(run.output).not.toContain(token);
    expect(await count("users")).toBe(0);
    expect(await count("organizations")).toBe(0);
    expect(await count("usage_events")).toBe(0);
    // Stored hashed, valid one hour.
    const { rows } = await client.query("SELECT token_hash, expires_at - created_at AS ttl FROM setup_tokens");
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toBe(token);
    expect(rows[0].ttl.hours).toBe(1);
  });

  it("--demo is refused in production mode", async () => {
    const run = await startScript(["--production", "--demo"], productionEnv());
    expect(run.code).toBe(1);
    expect(run.output).toContain("--demo cannot be combined with production mode");
  });
});

describe("npm start with DATABASE_URL (not production)", () => {
  it("seeds nothing on an empty database and says how to create the first admin", async () => {
    const run = await startScript([], { DATABASE_URL: databaseUrl }, /Create the first admin/);
    expect(run.output).toContain("npm run admin:create -- --email");
    expect(run.output).not.toContain("seeding the demo data");
    expect(await count("organizations")).toBe(0);
    expect(await count("users")).toBe(0);
  });
});
