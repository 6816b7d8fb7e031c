// Per-caller request limits, per fixed 60 s window:
//  - ingestion: per API key, the key's own limit or API_RATE_LIMIT_PER_MINUTE (the ingestion routes call it);
//  - everything else: per signed-in user and per API key, READ_RATE_LIMIT_PER_MINUTE (withRoute calls it);
//  - public pages opened by a link (customer view): per client address, READ_RATE_LIMIT_PER_MINUTE;
//  - budget checks: per API key, like ingestion.
// Ingestion, read and public limits are counted in PostgreSQL (`rate_limits`, one upsert per request), so N instances behind
// a load balancer allow a caller its limit once, not N times. While the database does not answer, each instance
// counts in memory (the insurance limiter) rather than refusing or letting everything through.
// Budget checks count in memory per instance: a check answers from the in-memory budget cache without any I/O (its
// latency target is a few ms), so a database round trip per check would defeat it; with N instances a key may make
// N × its limit of checks per minute.
import "server-only";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { ApiKeyCaller, Caller } from "@/lib/auth/caller";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { RateLimitedError } from "./errors";

const WINDOW_SECONDS = 60;

// One limiter per store and limit value; its key prefix holds the limit, so a key whose limit changes starts afresh.
const limiters = new Map<string, RateLimiterAbstract>();

function limiter(shared: boolean, points: number): RateLimiterAbstract {
  const id = `${shared ? "pg" : "mem"}:${points}`;
  let found = limiters.get(id);
  if (!found) {
    const memory = new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: String(points) });
    found = shared
      ? new RateLimiterPostgres({
          storeClient: pool,
          storeType: "pool",
          tableName: "rate_limits",
          tableCreated: true, // by the migration
          keyPrefix: String(points),
          points,
          duration: WINDOW_SECONDS,
          insuranceLimiter: memory,
        })
      : memory;
    limiters.set(id, found);
  }
  return found;
}

async function consume(shared: boolean, points: number, key: string): Promise<void> {
  try {
    await limiter(shared, points).consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    throw error;
  }
}

/** Counts one ingestion request for the key; throws 429 with Retry-After once the key's per-minute limit is used up. */
export async function enforceRateLimit(caller: ApiKeyCaller): Promise<void> {
  await consume(true, caller.rateLimitPerMinute ?? env().API_RATE_LIMIT_PER_MINUTE, `ingest:${caller.id}`);
}

/** Counts one request on any other route for the user or key; 429 with Retry-After past READ_RATE_LIMIT_PER_MINUTE. */
export async function enforceReadRateLimit(caller: Caller): Promise<void> {
  await consume(true, env().READ_RATE_LIMIT_PER_MINUTE, `read:${caller.kind}:${caller.id}`);
}

/** Counts one budget check for the key, against the key's own limit like ingestion (a gateway checks every call). */
export async function enforceCheckRateLimit(caller: ApiKeyCaller): Promise<void> {
  await consume(false, caller.rateLimitPerMinute ?? env().API_RATE_LIMIT_PER_MINUTE, `check:${caller.id}`);
}

/** Counts one request to a public page (a customer view link) from a client address; READ_RATE_LIMIT_PER_MINUTE. */
export async function enforcePublicRateLimit(address: string): Promise<void> {
  await consume(true, env().READ_RATE_LIMIT_PER_MINUTE, `public:${address}`);
}
