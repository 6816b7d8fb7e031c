// The release's migration runner on plain `pg`, instead of the Prisma CLI: applies prisma/migrations/*/migration.sql
// in name order and records each in `_prisma_migrations` the way `prisma migrate deploy` does (same table, same
// advisory lock, checksum = sha256 of the file), so stock `prisma migrate deploy/status` agree with it afterwards.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";

/** Prisma Migrate's lock key (a constant in its schema engine): the CLI and this runner exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

export function readMigrations(dir: string): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

/** Applies the pending migrations; returns the names applied. Refuses to continue past a failed one, as Prisma does. */
export async function migrate(client: pg.Client, dir: string, log: (line: string) => void = console.log): Promise<string[]> {
  const migrations = readMigrations(dir);
  await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
  try {
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ name: string; checksum: string; finished: boolean }>(
      `SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const failed = rows.filter((r) => !r.finished);
    if (failed.length) {
      throw new Error(
        `migration ${failed.map((f) => f.name).join(", ")} failed earlier (see the logs column of _prisma_migrations).\n` +
          "Fix the database by hand, then mark it with `prisma migrate resolve`, as for any Prisma deployment.",
      );
    }
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    for (const m of migrations) {
      if (applied.has(m.name) && applied.get(m.name) !== m.checksum) log(`warning: migration ${m.name} changed since it was applied (checksum differs)`);
    }
    const pending = migrations.filter((m) => !applied.has(m.name));
    for (const m of pending) {
      const id = randomUUID();
      await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`, [id, m.checksum, m.name]);
      try {
        // One simple-protocol query: PostgreSQL runs the whole script as one implicit transaction, as Prisma's does.
        await client.query(m.sql);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
        throw new Error(`migration ${m.name} failed: ${message}`);
      }
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1`, [id]);
      log(`applied migration ${m.name}`);
    }
    if (pending.length === 0) log(`database schema is up to date (${migrations.length} migrations)`);
    return pending.map((m) => m.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
  }
}
