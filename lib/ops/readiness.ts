// Readiness for a process manager or load balancer: the database answers and every migration shipped with
// this build is applied (a new version must not take traffic before `migrate` ran).
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";

let shipped: string[] | undefined;

/** Migration folders next to the app: prisma/migrations in the checkout, and in the release directory. */
function shippedMigrations(): string[] {
  shipped ??= fs
    .readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(process.cwd(), "prisma", "migrations", d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
  return shipped;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

export async function readiness(timeoutMs = 2_000): Promise<Readiness> {
  let rows: { name: string; finished: boolean }[];
  try {
    rows = await Promise.race([
      db.$queryRaw<{ name: string; finished: boolean }[]>`
        SELECT migration_name AS name, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL`,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), timeoutMs)),
    ]);
  } catch (error) {
    // Fixed reasons only: driver messages can name hosts and users.
    return { ready: false, reason: error instanceof Error && error.message === "timeout" ? `database check timed out after ${timeoutMs} ms` : "database unreachable or not migrated" };
  }
  const failed = rows.filter((r) => !r.finished).map((r) => r.name);
  if (failed.length) return { ready: false, reason: `failed migration(s): ${failed.join(", ")}` };
  const applied = new Set(rows.map((r) => r.name));
  const pending = shippedMigrations().filter((m) => !applied.has(m));
  if (pending.length) return { ready: false, reason: `${pending.length} migration(s) not applied: run the migrate step` };
  return { ready: true };
}
