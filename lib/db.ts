// One pg pool per process for request work, shared by Prisma (through the driver adapter) and the set-based hot
// paths; a second, small pool for background jobs. Request queries run under a statement timeout
// (REQUEST_STATEMENT_TIMEOUT_MS) so one expensive read cannot hold a connection and the CPU for minutes; background
// jobs (lib/jobs: connector runs, alert evaluation, webhook deliveries) run inside runInBackground(), where `db` and `pool` are the
// background pool's, which has no timeout. Rollup rebuilds lift the timeout in their own transaction.
// With DATABASE_READ_URL set, dashboard reads run inside runOnReplica(), where they are a replica pool's.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool, type PoolClient } from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

function createPool(max: number, statementTimeoutMs: number, connectionString = env().DATABASE_URL) {
  const pool = new Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    // Dashboard aggregates over ~100k rollup rows finish in half the time on two cores; the default setup cost
    // (1000) keeps PostgreSQL from planning a parallel scan for them. Writes never run in parallel.
    // work_mem 16MB (default 4MB): a week of the hourly rollup grouped by hour and customer is planned as a sort of
    // ~80k rows, which spilled to disk and took twice as long (300 → 150 ms on the bench's 10M events).
    // statement_timeout 0 means none.
    options: `-c parallel_setup_cost=100 -c work_mem=16MB -c statement_timeout=${statementTimeoutMs}`,
  });
  // An idle connection dies when PostgreSQL restarts; without a listener that would crash the process.
  pool.on("error", (error) => log.warn("idle database connection closed", { error: error.message }));
  return pool;
}

function createClient(pool: Pool) {
  // Secrets are never selected unless a query asks for them explicitly.
  return new PrismaClient({ adapter: new PrismaPg(pool), omit: { user: { passwordHash: true }, apiKey: { hash: true } } });
}

type Connection = { pool: Pool; db: ReturnType<typeof createClient> };

function connect(max: number, statementTimeoutMs: number, connectionString?: string): Connection {
  const pool = createPool(max, statementTimeoutMs, connectionString);
  return { pool, db: createClient(pool) };
}

const globalForDb = globalThis as unknown as { dbRequest?: Connection; dbBackground?: Connection; dbReplica?: Connection };

const request = globalForDb.dbRequest ?? connect(env().DB_POOL_SIZE, env().REQUEST_STATEMENT_TIMEOUT_MS);
let background = globalForDb.dbBackground;
let replica = globalForDb.dbReplica;
const contextStore = new AsyncLocalStorage<"background" | "replica">();

function current(): Connection {
  switch (contextStore.getStore()) {
    case undefined:
      return request;
    case "background":
      // Created on first use: most processes (and tests) never run a background job.
      if (!background) background = connect(2, 0);
      if (env().NODE_ENV === "development") globalForDb.dbBackground = background;
      return background;
    case "replica":
      if (!replica) replica = connect(env().DB_POOL_SIZE, env().REQUEST_STATEMENT_TIMEOUT_MS, env().DATABASE_READ_URL);
      if (env().NODE_ENV === "development") globalForDb.dbReplica = replica;
      return replica;
  }
}

/** Runs a background job: every `db`/`pool` query it makes, however deep, goes to the pool without a timeout. */
export function runInBackground<T>(job: () => Promise<T>): Promise<T> {
  return contextStore.run("background", job);
}

/**
 * Runs a read-only dashboard query on the read replica (DATABASE_READ_URL), or on the primary when none is set.
 * A replica lags by its replication delay: the numbers may miss the last moments' events, never count one twice.
 */
export function runOnReplica<T>(read: () => Promise<T>): Promise<T> {
  return env().DATABASE_READ_URL ? contextStore.run("replica", read) : read();
}

/** The request or the background object, whichever the calling context uses (methods bound to it). */
function contextual<T extends object>(pick: (c: Connection) => T): T {
  return new Proxy(pick(request), {
    get(_target, property) {
      const target = pick(current());
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Plain pg pool for the set-based hot paths (ingestion) where Prisma adds per-row overhead. */
export const pool: Pool = contextual((c) => c.pool);
/** Prisma for CRUD and typed raw SQL. */
export const db: Connection["db"] = contextual((c) => c.db);

/**
 * Runs `work` in one transaction (opened by `begin`) on a client of the calling context's pool. A connection
 * killed while checked out (it emits "error") or one that cannot even roll back is destroyed, not pooled again.
 */
export async function inTransaction<T>(work: (client: PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on("error", onError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}

/** Closes both pools (tests, scripts). */
export async function disconnectDb(): Promise<void> {
  for (const c of [request, background, replica]) {
    if (!c) continue;
    await c.db.$disconnect().catch(() => {});
    await c.pool.end().catch(() => {});
  }
}

// Reuse across dev hot reloads only; tests and production get one per module graph.
if (env().NODE_ENV === "development") globalForDb.dbRequest = request;
