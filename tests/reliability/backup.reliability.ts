// Backup/restore: ingest through the app, `pg_dump -Fc`, `pg_restore` into a new database, start a second app on
// the restored copy, and compare dashboard responses byte for byte. pg_dump must match the server's major version:
// the embedded PostgreSQL 17 package ships no pg_dump, so when the test server is 17 and only a v15 pg_dump is
// installed, the test runs on the system PostgreSQL (RELIABILITY_BACKUP_URL, default 127.0.0.1:5432) instead.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { hashSecret } from "@/lib/auth/secret-hash";
import { databaseName, root, withDatabase } from "@/scripts/lib/common";
import { createTestDatabase, dropTestDatabase, ensureTemplate } from "@/tests/helpers/db";
import { makeBatches, runClients, spawnApp, stopApp, type App } from "./helpers";

const INGEST = "al_reliability_backup_ingest_0123456789abcdef";
const READ = "al_reliability_backup_read_0123456789abcdefgh";

function toolMajor(tool: string): number | null {
  try {
    return Number(/(\d+)\.\d+/.exec(execFileSync(tool, ["--version"], { encoding: "utf8" }))![1]);
  } catch {
    return null;
  }
}

async function serverMajor(url: string): Promise<number | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await c.connect();
    return Math.floor(Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10000);
  } catch {
    return null;
  } finally {
    await c.end().catch(() => {});
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
});

describe("backup and restore", () => {
  it("pg_dump -Fc | pg_restore round-trips with identical dashboard numbers", async () => {
    const dumpMajor = toolMajor("pg_dump");
    expect(dumpMajor, "pg_dump is not installed").not.toBeNull();
    let base = process.env.DATABASE_URL!;
    if ((await serverMajor(base)) !== dumpMajor) {
      base = process.env.RELIABILITY_BACKUP_URL ?? "postgresql://postgres@127.0.0.1:5432/agentledger_reliability_test";
      expect(await serverMajor(withDatabase(base, "postgres")), `no PostgreSQL ${dumpMajor} for pg_dump ${dumpMajor} at ${base}`).toBe(dumpMajor);
      base = await createTestDatabase(await ensureTemplate(base), "backup");
      cleanup.push(() => dropTestDatabase(base));
    }
    const db = new pg.Client({ connectionString: base });
    await db.connect();
    cleanup.push(() => db.end());
    await db.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Backup Org', 'USD', 'Europe/Berlin', now()) ON CONFLICT (id) DO NOTHING");
    await db.query(
      `INSERT INTO api_keys (name, prefix, hash, source, scopes, rate_limit_per_minute, may_create_entities, may_write_finalized) VALUES
       ('ingest', $1, $2, 'backup', '{ingest}', 1000000, true, true), ('read', $3, $4, 'backup-read', '{read}', 1000000, true, true)`,
      [INGEST.slice(0, 10), hashSecret(INGEST), READ.slice(0, 10), hashSecret(READ)],
    );

    const app: App = await spawnApp({ databaseUrl: base, label: "backup" });
    cleanup.push(() => stopApp(app));
    const stats = await runClients({ baseUrl: () => app.baseUrl, key: INGEST, batches: makeBatches(20, 1000, 50, 11, "b"), clients: 2 });
    expect(stats.acknowledged).toBe(20);

    const dump = path.join(root, ".data/reliability-backup.dump");
    const restored = withDatabase(base, `${databaseName(base)}_restored`.slice(0, 63));
    const t0 = Date.now();
    // The documented commands (README, Reliability): custom format, no owner, then restore into an empty database.
    execFileSync("pg_dump", ["-Fc", "--no-owner", "-f", dump, base]);
    const dumpMs = Date.now() - t0;
    const admin = new pg.Client({ connectionString: withDatabase(base, "postgres") });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(databaseName(restored))}`);
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName(restored))}`);
    await admin.end();
    cleanup.push(() => dropTestDatabase(restored));
    const t1 = Date.now();
    execFileSync("pg_restore", ["--no-owner", "--exit-on-error", "-d", restored, dump]);
    const restoreMs = Date.now() - t1;
    const bytes = fs.statSync(dump).size;
    fs.rmSync(dump, { force: true });

    const paths = [
      "/api/v1/usage?from=2026-11-01&to=2026-11-30&groupBy=agent",
      "/api/v1/usage?from=2026-11-01&to=2026-11-30&groupBy=customer",
      "/api/v1/usage?from=2026-11-01&to=2026-11-30&groupBy=model",
      "/api/v1/workload?from=2026-11-01&to=2026-11-30",
      "/api/v1/allocation?period=2026-11",
      "/api/v1/overview?from=2026-11-01&to=2026-11-30",
    ];
    const fetchAll = async (baseUrl: string) => {
      const out: Record<string, unknown> = {};
      for (const p of paths) {
        const res = await fetch(baseUrl + p, { headers: { authorization: `Bearer ${READ}` } });
        const body = await res.json();
        expect(res.status, `${p}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
        out[p] = body;
      }
      return out;
    };
    const before = await fetchAll(app.baseUrl);
    const other = await spawnApp({ databaseUrl: restored, label: "backup-restored" });
    cleanup.push(() => stopApp(other));
    const after = await fetchAll(other.baseUrl);
    expect(after).toEqual(before);
    const rows = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM usage_events");
    console.log(`[reliability] backup: ${JSON.stringify({ server: base.replace(/\/[^/]*$/, ""), pgDump: dumpMajor, events: Number(rows.rows[0]!.n), dumpBytes: bytes, dumpMs, restoreMs, responsesCompared: paths.length })}`);
  }, 300_000);
});
