// Test databases: one migrated template per run, one clone per test file (or per e2e run).
// All names derive from the base database in DATABASE_URL, which must be meant for tests.
import { randomBytes } from "node:crypto";
import pg from "pg";
import path from "node:path";
import { enableAppLogin } from "../../scripts/lib/app-role";
import { baseEnv, dataDir, databaseName, hashPaths, runOrThrow, withDatabase } from "../../scripts/lib/common";
import { startEmbeddedPg } from "../../scripts/lib/embedded-pg";

export interface TestServer {
  /** URL of the base database; test databases are created next to it as <base>_*. */
  baseUrl: string;
  /** Stops the embedded cluster if this call started it; no-op for an external server. */
  stop(): Promise<void>;
}

/**
 * The PostgreSQL server for tests: TEST_DATABASE_URL or DATABASE_URL if set (the database name
 * must contain "test" or "ci"), else the embedded cluster in .data/pg-test on TEST_PG_PORT (54339).
 */
export async function provideTestServer(): Promise<TestServer> {
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (external) {
    assertTestDatabase(external);
    return { baseUrl: external, stop: async () => {} };
  }
  const cluster = await startEmbeddedPg({
    dataDir: path.join(dataDir, "pg-test"),
    port: Number(process.env.TEST_PG_PORT ?? 54339),
    strictPort: process.env.TEST_PG_PORT !== undefined,
    database: "agentledger_test",
  });
  return { baseUrl: cluster.url("agentledger_test"), stop: () => cluster.stop() };
}

/** Throws unless the database name says it is disposable ("test" or "ci" in it). */
export function assertTestDatabase(url: string): void {
  const name = databaseName(url);
  if (!/test|ci/i.test(name)) {
    throw new Error(`refusing to run tests against database "${name}": its name must contain "test" or "ci" (tests create and drop <name>_* databases next to it)`);
  }
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * `<base>_template`, migrated with `prisma migrate deploy` as the owner (the base URL's role). Reused while
 * prisma/migrations is unchanged (the hash is kept as the database's comment), rebuilt otherwise. Returns its URL.
 * Also lets the app role (agentledger_app) log in, once per run, for the app servers that tests start.
 */
export async function ensureTemplate(baseUrl: string): Promise<string> {
  assertTestDatabase(baseUrl);
  // Roles are cluster-wide; the maintenance database always exists (the base database need not).
  await enableAppLogin(withDatabase(baseUrl, "postgres"));
  const name = `${databaseName(baseUrl)}_template`;
  const url = withDatabase(baseUrl, name);
  const hash = `migrations:${hashPaths(["prisma/migrations"])}`;
  const current = await withAdmin(baseUrl, async (c) => {
    const res = await c.query("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [name]);
    return res.rowCount === 0 ? undefined : ((res.rows[0].comment as string | null) ?? "");
  });
  if (current === hash) return url;
  await withAdmin(baseUrl, async (c) => {
    const id = c.escapeIdentifier(name);
    await c.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${id}`);
  });
  await runOrThrow("prisma", ["migrate", "deploy"], { env: baseEnv({ DATABASE_URL: url }), stdio: ["ignore", "ignore", "inherit"] });
  // Marked only after a successful deploy, so a half-migrated template is never reused.
  await withAdmin(baseUrl, (c) => c.query(`COMMENT ON DATABASE ${c.escapeIdentifier(name)} IS ${c.escapeLiteral(hash)}`));
  return url;
}

/** A fresh database cloned from the template (fast: no migrations). `label` ends up in its name. */
export async function createTestDatabase(templateUrl: string, label = "t"): Promise<string> {
  const base = databaseName(templateUrl).replace(/_template$/, "");
  const name = `${base}_${label.replace(/\W/g, "_").slice(0, 20)}_${randomBytes(4).toString("hex")}`.slice(0, 63);
  await withAdmin(templateUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(databaseName(templateUrl))}`));
  return withDatabase(templateUrl, name);
}

/** Drops a test database, closing any connections still open to it. */
export async function dropTestDatabase(url: string): Promise<void> {
  assertTestDatabase(url);
  await withAdmin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(databaseName(url))} WITH (FORCE)`));
}

/** The minimum the app needs: organization row id 1. Tests insert anything else they need. */
export async function seedBasics(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      "INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Test Org', 'USD', 'UTC', now()) ON CONFLICT (id) DO NOTHING",
    );
  } finally {
    await client.end();
  }
}

/** The full demo seed (prisma/seed.ts, with the DEMO_USERS logins), e.g. `seedDemo(url, ["--events", "2000"])`. */
export async function seedDemo(databaseUrl: string, args: string[] = []): Promise<void> {
  await runOrThrow("tsx", ["prisma/seed.ts", ...args], { env: baseEnv({ DATABASE_URL: databaseUrl }) });
}
