// The app's database for start/dev/build/db:* — DATABASE_URL if set, else the embedded cluster in .data/pg.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { baseEnv, dataDir, root, runOrThrow } from "./common";
import { ensureDatabase, startEmbeddedPg } from "./embedded-pg";

export interface AppDatabase {
  databaseUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function provideDatabase(): Promise<AppDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    try {
      await ensureDatabase(external);
    } catch (err) {
      // Managed servers may not let us connect to `postgres`; migrate deploy reports real problems.
      console.warn(`could not check/create the database in DATABASE_URL: ${(err as Error).message}`);
    }
    return { databaseUrl: external, embedded: false, stop: async () => {} };
  }
  const cluster = await startEmbeddedPg({
    dataDir: path.join(dataDir, "pg"),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    strictPort: process.env.EMBEDDED_PG_PORT !== undefined,
    database: "agentledger",
  });
  return { databaseUrl: cluster.url("agentledger"), embedded: true, stop: () => cluster.stop() };
}

export async function migrateDeploy(databaseUrl: string): Promise<void> {
  await runOrThrow("prisma", ["migrate", "deploy"], { env: baseEnv({ DATABASE_URL: databaseUrl }) });
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

