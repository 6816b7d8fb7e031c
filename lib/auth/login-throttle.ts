// Login rate limiting in front of the per-account lockout: failed attempts are counted per IP+email
// (guessing one account) and per IP (spraying many accounts). Counters live in PostgreSQL so every
// app instance shares them. Blocked attempts are refused before bcrypt runs.
import "server-only";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { pool } from "@/lib/db";

const WINDOW_SECONDS = 15 * 60;

function limiter(keyPrefix: string, points: number) {
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName: "login_throttles",
    tableCreated: true, // created by a migration, not at run time
    keyPrefix,
    points,
    duration: WINDOW_SECONDS,
  });
}

const perIpEmail = limiter("login:ip-email", 10);
const perIp = limiter("login:ip", 50);

/** The client address: the last X-Forwarded-For entry (added by the nearest proxy, or by Next from the socket). */
export function clientIp(headers: Record<string, string | string[] | undefined> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const value = Array.isArray(forwarded) ? forwarded.at(-1) : forwarded;
  return value?.split(",").at(-1)?.trim() || "unknown";
}

function keys(ip: string, email: string) {
  return { ipEmail: `${ip}|${email.trim().toLowerCase()}`, ip };
}

/** True when this IP (for this email, or overall) has failed too often within the window. */
export async function loginBlocked(ip: string, email: string): Promise<boolean> {
  const k = keys(ip, email);
  const [a, b] = await Promise.all([perIpEmail.get(k.ipEmail), perIp.get(k.ip)]);
  return (a?.consumedPoints ?? 0) >= perIpEmail.points || (b?.consumedPoints ?? 0) >= perIp.points;
}

export async function recordLoginFailure(ip: string, email: string): Promise<void> {
  const k = keys(ip, email);
  // consume() rejects with a RateLimiterRes once the limit is passed (the count still goes up, which is all
  // we need here); a store failure rejects with an Error and must surface.
  const overLimitIsFine = (reason: unknown) => {
    if (reason instanceof Error) throw reason;
  };
  await Promise.all([perIpEmail.consume(k.ipEmail).catch(overLimitIsFine), perIp.consume(k.ip).catch(overLimitIsFine)]);
}
