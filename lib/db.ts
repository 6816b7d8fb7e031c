// One pg pool per process, shared by Prisma (through the driver adapter) and the set-based hot paths.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

function createPool() {
  const pool = new Pool({
    connectionString: env().DATABASE_URL,
    max: env().DB_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    // Dashboard aggregates over ~100k rollup rows finish in half the time on two cores; the default setup cost
    // (1000) keeps PostgreSQL from planning a parallel scan for them. Writes never run in parallel.
    options: "-c parallel_setup_cost=100",
  });
  // An idle connection dies when PostgreSQL restarts; without a listener that would crash the process.
  pool.on("error", (error) => log.warn("idle database connection closed", { error: error.message }));
  return pool;
}

function createClient(pool: Pool) {
  // Secrets are never selected unless a query asks for them explicitly.
  return new PrismaClient({ adapter: new PrismaPg(pool), omit: { user: { passwordHash: true }, apiKey: { hash: true } } });
}

const globalForDb = globalThis as unknown as { prisma?: ReturnType<typeof createClient>; pgPool?: Pool };

/** Plain pg pool for the set-based hot paths (ingestion) where Prisma adds per-row overhead. */
export const pool = globalForDb.pgPool ?? createPool();
/** Prisma for CRUD and typed raw SQL. */
export const db = globalForDb.prisma ?? createClient(pool);

// Reuse across dev hot reloads only; tests and production get one per module graph.
if (env().NODE_ENV === "development") {
  globalForDb.prisma = db;
  globalForDb.pgPool = pool;
}
