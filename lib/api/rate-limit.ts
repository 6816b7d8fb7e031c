// Per-caller request limits. In memory, so each app instance counts on its own: with N instances behind a
// load balancer a caller may send up to N × its limit (rate-limiter-flexible's Postgres/Redis stores would share it).
//  - ingestion: per API key, the key's own limit or API_RATE_LIMIT_PER_MINUTE (the ingestion routes call it);
//  - everything else: per signed-in user and per API key, READ_RATE_LIMIT_PER_MINUTE (withRoute calls it).
//  - public pages opened by a link (customer view): per client address, READ_RATE_LIMIT_PER_MINUTE.
import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { ApiKeyCaller, Caller } from "@/lib/auth/caller";
import { env } from "@/lib/env";
import { RateLimitedError } from "./errors";

// One fixed 60 s window per limit value; a key whose limit changes starts counting afresh.
const limiters = new Map<number, RateLimiterMemory>();

async function consume(points: number, key: string): Promise<void> {
  let limiter = limiters.get(points);
  if (!limiter) {
    limiter = new RateLimiterMemory({ points, duration: 60 });
    limiters.set(points, limiter);
  }
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    throw error;
  }
}

/** Counts one ingestion request for the key; throws 429 with Retry-After once the key's per-minute limit is used up. */
export async function enforceRateLimit(caller: ApiKeyCaller): Promise<void> {
  await consume(caller.rateLimitPerMinute ?? env().API_RATE_LIMIT_PER_MINUTE, `ingest:${caller.id}`);
}

/** Counts one request on any other route for the user or key; 429 with Retry-After past READ_RATE_LIMIT_PER_MINUTE. */
export async function enforceReadRateLimit(caller: Caller): Promise<void> {
  await consume(env().READ_RATE_LIMIT_PER_MINUTE, `read:${caller.kind}:${caller.id}`);
}

/** Counts one budget check for the key, against the key's own limit like ingestion (a gateway checks every call). */
export async function enforceCheckRateLimit(caller: ApiKeyCaller): Promise<void> {
  await consume(caller.rateLimitPerMinute ?? env().API_RATE_LIMIT_PER_MINUTE, `check:${caller.id}`);
}

/** Counts one request to a public page (a customer view link) from a client address; READ_RATE_LIMIT_PER_MINUTE. */
export async function enforcePublicRateLimit(address: string): Promise<void> {
  await consume(env().READ_RATE_LIMIT_PER_MINUTE, `public:${address}`);
}
