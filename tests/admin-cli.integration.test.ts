// The operator commands as child processes against this file's database: admin:create, demo:remove; and the
// release's migration runner, checked against stock `prisma migrate` on the same migrations.
import { spawn } from "node:child_process";
import bcrypt from "bcryptjs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { baseEnv, databaseName, root, run, withDatabase } from "@/scripts/lib/common";
import { migrate, readMigrations } from "@/scripts/lib/migrate";
import path from "node:path";

// Each case starts tsx child processes (a few seconds each, much more on a busy machine).
vi.setConfig({ testTimeout: 240_000 });

const databaseUrl = process.env.DATABASE_URL!;
let client: pg.Client;

function tsx(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), [script, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: baseEnv({ DATABASE_URL: databaseUrl, ...env }),
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
});

afterAll(async () => {
  await client.end();
});

describe("admin:create", () => {
  it("creates an admin with a generated password printed once, audited, and refuses the same email again", async () => {
    const first = await tsx("scripts/admin-create.ts", ["--email", "Ops.Lead@Example.com", "--name", "Ops Lead", "--organization", "Acme"]);
    expect(first.code, first.output).toBe(0);
    const password = /Generated password[^\n]*\n(\S+)/.exec(first.output)?.[1];
    expect(password).toBeDefined();
    expect(first.output.split(password!).length).toBe(2);
    const user = (await client.query("SELECT id, email, name, role, password_hash FROM users")).rows[0];
    expect(user).toMatchObject({ email: "ops.lead@example.com", name: "Ops Lead", role: "admin" });
    expect(await bcrypt.compare(password!, user.password_hash)).toBe(true);
    expect((await client.query("SELECT name FROM organizations")).rows).toEqual([{ name: "Acme" }]);
    const audit = await client.query("SELECT action, entity_id, after FROM audit_logs WHERE action = 'user.create'");
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].entity_id).toBe(String(user.id));
    expect(JSON.stringify(audit.rows[0].after)).not.toContain(password!);

    const again = await tsx("scripts/admin-create.ts", ["--email", "ops.lead@example.com"]);
    expect(again.code).toBe(1);
    expect(again.output).toContain("already exists");
    expect((await client.query("SELECT count(*)::int AS n FROM users")).rows[0].n).toBe(1);
  });

  it("refuses a missing email and the demo domain, creating nothing", async () => {
    const none = await tsx("scripts/admin-create.ts", []);
    expect(none.code).toBe(1);
    expect(none.output).toContain("usage: admin:create --email");
    const demo = await tsx("scripts/admin-create.ts", ["--email", "x@demo.agentledger.dev"]);
    expect(demo.code).toBe(1);
    expect(demo.output).toContain("reserved for demo accounts");
    expect((await client.query("SELECT count(*)::int AS n FROM users WHERE email LIKE 'x@%'")).rows[0].n).toBe(0);
  });
});

describe("demo:remove", () => {
  it("asks for --yes, then removes only the demo accounts when the organization is not the demo's", async () => {
    await client.query("INSERT INTO users (email, name, role, updated_at) VALUES ('viewer@demo.agentledger.dev', 'Vera', 'viewer', now())");
    const dry = await tsx("scripts/demo-remove.ts", []);
    expect(dry.code).toBe(2);
    expect(dry.output).toContain("--yes");
    expect((await client.query("SELECT count(*)::int AS n FROM users WHERE email LIKE '%@demo.agentledger.dev'")).rows[0].n).toBe(1);
    const done = await tsx("scripts/demo-remove.ts", ["--yes"]);
    expect(done.code, done.output).toBe(0);
    expect((await client.query("SELECT email FROM users ORDER BY email")).rows).toEqual([{ email: "ops.lead@example.com" }]);
  });

  it("empties the database when it holds the seed's demo organization", async () => {
    await client.query("UPDATE organizations SET demo = true");
    const done = await tsx("scripts/demo-remove.ts", ["--yes"]);
    expect(done.code, done.output).toBe(0);
    expect((await client.query("SELECT count(*)::int AS n FROM users")).rows[0].n).toBe(0);
    expect((await client.query("SELECT count(*)::int AS n FROM organizations")).rows[0].n).toBe(0);
    expect((await client.query("SELECT count(*)::int AS n FROM _prisma_migrations")).rows[0].n).toBeGreaterThan(0);
  });
});

describe("the release's migration runner", () => {
  it("applies every migration and records it as prisma migrate deploy does", async () => {
    const url = withDatabase(databaseUrl, `${databaseName(databaseUrl)}_mig`.slice(0, 63));
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(databaseName(url))}`);
    const target = new pg.Client({ connectionString: url });
    await target.connect();
    try {
      const dir = path.join(root, "prisma/migrations");
      const applied = await migrate(target, dir, () => {});
      expect(applied).toEqual(readMigrations(dir).map((m) => m.name));
      expect(await migrate(target, dir, () => {})).toEqual([]);
      // The same checksums as stock Prisma wrote into this file's (template-cloned) database.
      const ours = await target.query("SELECT migration_name, checksum, applied_steps_count, finished_at IS NOT NULL AS done FROM _prisma_migrations ORDER BY 1");
      const prismas = await client.query("SELECT migration_name, checksum, applied_steps_count, true AS done FROM _prisma_migrations ORDER BY 1");
      expect(ours.rows).toEqual(prismas.rows);
      // And stock Prisma agrees that nothing is pending.
      const status = await run("prisma", ["migrate", "status"], { env: baseEnv({ DATABASE_URL: url }), stdio: "ignore" });
      expect(status).toBe(0);
    } finally {
      await target.end();
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName(url))} WITH (FORCE)`);
    }
  });
});
