// Per-API-key request limits. In memory, so each app instance counts on its own: with N instances behind a
// load balancer a key may send up to N × its limit (rate-limiter-flexible's Postgres/Redis stores would share it).
import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { ApiKeyCaller } from "@/lib/auth/caller";
import { env } from "@/lib/env";
import { RateLimitedError } from "./errors";

// One fixed 60 s window per limit value; a key whose limit changes starts counting afresh.
const limiters = new Map<number, RateLimiterMemory>();

/** Counts one request for the key; throws 429 with Retry-After once the key's per-minute limit is used up. */
export async function enforceRateLimit(caller: ApiKeyCaller): Promise<void> {
  const points = caller.rateLimitPerMinute ?? env().API_RATE_LIMIT_PER_MINUTE;
  let limiter = limiters.get(points);
  if (!limiter) {
    limiter = new RateLimiterMemory({ points, duration: 60 });
    limiters.set(points, limiter);
  }
  try {
    await limiter.consume(String(caller.id));
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
    throw error;
  }
}
