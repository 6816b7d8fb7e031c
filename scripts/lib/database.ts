// The app's database for start/dev/build/db:* — DATABASE_URL if set, else the embedded cluster in .data/pg.
// Two roles (README, "Database roles"): the owner runs migrations, seeds and maintenance; the app's requests run
// as a role that owns nothing (agentledger_app, or a member of it).
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { ensureUsagePartitions } from "../../lib/partitions";
import { appRoleProblem, enableAppLogin, redactUrl } from "./app-role";
import { baseEnv, dataDir, root, runOrThrow } from "./common";
import { ensureDatabase, startEmbeddedPg } from "./embedded-pg";

export interface AppDatabase {
  /** The role that owns the tables: migrations, seed, background maintenance (DDL). */
  ownerUrl: string;
  /** The app's requests, when given explicitly (DATABASE_URL beside DATABASE_OWNER_URL); else see appDatabaseUrl. */
  appUrl?: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const production = () => process.env.AGENTLEDGER_MODE === "production";

export async function provideDatabase(): Promise<AppDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    // With DATABASE_OWNER_URL, DATABASE_URL is the app's own role; without, it is the owner (one URL, as before).
    const ownerUrl = process.env.DATABASE_OWNER_URL ?? external;
    try {
      await ensureDatabase(ownerUrl);
    } catch (err) {
      // Managed servers may not let us connect to `postgres`; migrate deploy reports real problems.
      console.warn(`could not check/create the database in DATABASE_URL: ${(err as Error).message}`);
    }
    return { ownerUrl, appUrl: process.env.DATABASE_OWNER_URL ? external : undefined, embedded: false, stop: async () => {} };
  }
  const cluster = await startEmbeddedPg({
    dataDir: path.join(dataDir, "pg"),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    strictPort: process.env.EMBEDDED_PG_PORT !== undefined,
    database: "agentledger",
  });
  return { ownerUrl: cluster.url("agentledger"), embedded: true, stop: () => cluster.stop() };
}

/**
 * The URL the app's requests use, after migrations. Given explicitly: checked, and refused in production when the
 * role could rewrite the audit log. Embedded: agentledger_app with a password kept in the data folder. One owner
 * URL on a server: refused in production; otherwise derived like the embedded case (the owner must be allowed to
 * create roles), with a warning, and the app runs as the owner only if even that fails.
 */
export async function appDatabaseUrl(db: AppDatabase): Promise<string> {
  if (db.appUrl) {
    const problem = await appRoleProblem(db.appUrl);
    if (problem && production()) throw new Error(`DATABASE_URL must be the app's own role, not the owner: ${problem}. See README, "Database roles".`);
    if (problem) console.warn(`WARNING: ${problem}: the app's requests are not held to the audit log and invoice rules. See README, "Database roles".`);
    return db.appUrl;
  }
  if (db.embedded) return enableAppLogin(db.ownerUrl);
  if (production()) {
    throw new Error(
      'AGENTLEDGER_MODE=production needs two database URLs: DATABASE_OWNER_URL (owns the tables, runs migrations) and DATABASE_URL (the app\'s requests, a member of agentledger_app). See README, "Database roles".',
    );
  }
  try {
    const url = await enableAppLogin(db.ownerUrl);
    console.warn(
      `WARNING: only DATABASE_URL is set, so it is treated as the owner and the app's requests use the role agentledger_app (${redactUrl(url)}), ` +
        `its password kept in ${path.join(dataDir, "app-db-password")}. On a server you run, set DATABASE_OWNER_URL and DATABASE_URL instead (README, "Database roles").`,
    );
    return url;
  } catch (err) {
    console.warn(
      `WARNING: could not let agentledger_app log in (${(err as Error).message}): the app's requests run as the OWNER of the tables, ` +
        `so nothing in the database stops them from rewriting the audit log or finalized invoices. Set DATABASE_OWNER_URL and DATABASE_URL (README, "Database roles").`,
    );
    return db.ownerUrl;
  }
}

/** Applies migrations as the owner, then creates the coming months' event partitions (lib/partitions.ts). */
export async function migrateDeploy(databaseUrl: string): Promise<void> {
  await runOrThrow("prisma", ["migrate", "deploy"], { env: baseEnv({ DATABASE_URL: databaseUrl }) });
  await ensureUsagePartitions({ ownerUrl: databaseUrl });
}

/** True when the organization row is missing, i.e. nothing has been seeded yet. */
export async function isEmpty(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const res = await client.query("SELECT NOT EXISTS (SELECT 1 FROM organizations) AS empty");
    return res.rows[0].empty as boolean;
  } finally {
    await client.end();
  }
}

/** Runs the demo seed (prisma/seed.ts) against `databaseUrl`, passing extra args such as `--events 20000`. */
export async function seed(databaseUrl: string, args: string[] = []): Promise<void> {
  if (!fs.existsSync(path.join(root, "prisma/seed.ts"))) {
    console.warn("prisma/seed.ts does not exist yet: skipping the seed");
    return;
  }
  await runOrThrow("tsx", ["prisma/seed.ts", ...args], { env: baseEnv({ DATABASE_URL: databaseUrl }) });
}

