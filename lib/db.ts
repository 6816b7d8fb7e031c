// One Prisma client and one pg pool per process, over the same connection string.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { Pool } from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

function createClient() {
  const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: env().DB_POOL_SIZE });
  // Secrets are never selected unless a query asks for them explicitly.
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true }, apiKey: { hash: true } } });
}

function createPool() {
  return new Pool({ connectionString: env().DATABASE_URL, max: env().DB_POOL_SIZE });
}

const globalForDb = globalThis as unknown as { prisma?: ReturnType<typeof createClient>; pgPool?: Pool };

/** Prisma for CRUD and typed raw SQL. */
export const db = globalForDb.prisma ?? createClient();
/** Plain pg pool for the set-based hot paths (ingestion) where Prisma adds per-row overhead. */
export const pool = globalForDb.pgPool ?? createPool();

// Reuse across dev hot reloads only; tests and production get one per module graph.
if (env().NODE_ENV === "development") {
  globalForDb.prisma = db;
  globalForDb.pgPool = pool;
}
