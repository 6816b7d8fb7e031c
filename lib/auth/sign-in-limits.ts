// Sign-in limits, counted atomically in PostgreSQL so parallel attempts and several app instances agree.
// Failures never lock an account for good:
// - each (email, source address) pair waits 1 s after its first failure, doubling per failure up to 15 min;
// - an email with 20 failures within 15 minutes, from any sources, is refused for the rest of that window;
// - a source with 50 failures within 15 minutes, over any emails, is refused for the rest of that window.
// An attempt takes its slot before the password is checked (one transaction, row locks), so N parallel
// attempts cannot all pass a check that none of them has counted yet; a correct password gives it back.
// Unknown emails are counted exactly like accounts: the limits must not reveal which emails exist.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export const SIGN_IN_LIMITS = {
  windowSeconds: 15 * 60,
  accountFailures: 20,
  sourceFailures: 50,
  maxDelaySeconds: 15 * 60,
} as const;

export type SignInClaim = { email: string; source: string };
export type SignInRefusal = { reason: "delayed" | "account" | "source"; retryAfterSeconds: number };

const claims = new AsyncLocalStorage<SignInClaim>();

/** Runs `fn` (next-auth's handler) with the attempt's claim visible to currentSignInClaim(). */
export function runWithSignInClaim<T>(claim: SignInClaim, fn: () => T): T {
  return claims.run(claim, fn);
}

/** The claim of the credentials sign-in being handled, if it came through withSignInGate. */
export function currentSignInClaim(): SignInClaim | undefined {
  return claims.getStore();
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const accountKey = (email: string) => `account:${email}`;
const sourceKey = (source: string) => `source:${source}`;

/** The `wait` (seconds) that `sql` selects, rounded up to whole seconds, at least 1. */
async function secondsUntil(client: PoolClient, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ wait: string | null }>(sql, params);
  return Math.max(1, Math.ceil(Number(rows[0]?.wait ?? 1)));
}

/**
 * The pair's next failure is counted now and its delay starts now: 2^(n-1) s for the n-th failure, at most
 * maxDelaySeconds. A pair quiet for a whole window after its delay ended starts again from 1 s.
 */
async function claimPair(client: PoolClient, email: string, source: string): Promise<SignInRefusal | null> {
  const { windowSeconds, maxDelaySeconds } = SIGN_IN_LIMITS;
  const { rowCount } = await client.query(
    `INSERT INTO login_delays AS d (email, source, failures, retry_at) VALUES ($1, $2, 1, now() + interval '1 second')
     ON CONFLICT (email, source) DO UPDATE SET
       failures = CASE WHEN d.retry_at <= now() - $3::int * interval '1 second' THEN 1 ELSE d.failures + 1 END,
       retry_at = now() + least(power(2, CASE WHEN d.retry_at <= now() - $3::int * interval '1 second' THEN 0 ELSE least(d.failures, 16) END), $4::float8)
                          * interval '1 second'
     WHERE d.retry_at <= now()`,
    [email, source, windowSeconds, maxDelaySeconds],
  );
  if (rowCount === 1) return null;
  const wait = await secondsUntil(client, "SELECT extract(epoch FROM retry_at - now()) AS wait FROM login_delays WHERE email = $1 AND source = $2", [email, source]);
  return { reason: "delayed", retryAfterSeconds: wait };
}

/** One more failure in `key`'s fixed window (which starts at its first failure); refused once `max` are in it. */
async function claimWindow(client: PoolClient, key: string, max: number): Promise<number | null> {
  const { rowCount } = await client.query(
    `INSERT INTO login_windows AS w (key, failures, ends_at) VALUES ($1, 1, now() + $2::int * interval '1 second')
     ON CONFLICT (key) DO UPDATE SET
       failures = CASE WHEN w.ends_at <= now() THEN 1 ELSE w.failures + 1 END,
       ends_at = CASE WHEN w.ends_at <= now() THEN EXCLUDED.ends_at ELSE w.ends_at END
     WHERE w.ends_at <= now() OR w.failures < $3::int`,
    [key, SIGN_IN_LIMITS.windowSeconds, max],
  );
  if (rowCount === 1) return null;
  return secondsUntil(client, "SELECT extract(epoch FROM ends_at - now()) AS wait FROM login_windows WHERE key = $1", [key]);
}

/**
 * Takes one password check for `email` from `source`, or says how long to wait. The check counts as a failure
 * until releaseAttempt() reports a correct password. Either every counter moves or none does.
 */
export async function claimAttempt(email: string, source: string): Promise<{ claim: SignInClaim } | { refused: SignInRefusal }> {
  const claim = { email: normalizeEmail(email), source };
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Locks are always taken in this order (pair, account, source), so concurrent claims cannot deadlock.
    let refused = await claimPair(client, claim.email, source);
    if (!refused) {
      const wait = await claimWindow(client, accountKey(claim.email), SIGN_IN_LIMITS.accountFailures);
      if (wait !== null) refused = { reason: "account", retryAfterSeconds: wait };
    }
    if (!refused) {
      const wait = await claimWindow(client, sourceKey(source), SIGN_IN_LIMITS.sourceFailures);
      if (wait !== null) refused = { reason: "source", retryAfterSeconds: wait };
    }
    await client.query(refused ? "ROLLBACK" : "COMMIT");
    if (!refused) await sweep(client);
    return refused ? { refused } : { claim };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Drops a few long-expired rows (unknown emails would otherwise pile up); skips rows others are using. */
async function sweep(client: PoolClient) {
  const stale = `now() - ${SIGN_IN_LIMITS.windowSeconds} * interval '1 second'`;
  await client.query(
    `DELETE FROM login_delays WHERE ctid = ANY (ARRAY(SELECT ctid FROM login_delays WHERE retry_at < ${stale} LIMIT 10 FOR UPDATE SKIP LOCKED))`,
  );
  await client.query(
    `DELETE FROM login_windows WHERE ctid = ANY (ARRAY(SELECT ctid FROM login_windows WHERE ends_at < ${stale} LIMIT 10 FOR UPDATE SKIP LOCKED))`,
  );
}

/** The password was right: the pair starts afresh and the windows get their slot back. */
export async function releaseAttempt(claim: SignInClaim): Promise<void> {
  await pool.query(
    `WITH pair AS (DELETE FROM login_delays WHERE email = $1 AND source = $2)
     UPDATE login_windows SET failures = failures - 1 WHERE key IN ($3, $4) AND failures > 0 AND ends_at > now()`,
    [claim.email, claim.source, accountKey(claim.email), sourceKey(claim.source)],
  );
}

export type SignInState = {
  /** Failures in the account's current 15-minute window, from all sources. */
  failures: number;
  /** Set while the account is refused to everyone (20 failures in the window). */
  limitedUntil: Date | null;
  /** Latest end of a per-source delay still running, and how many sources are waiting. */
  delayedUntil: Date | null;
  delayedSources: number;
};

/** The sign-in state of each email (normalized), for the users admin. */
export async function signInStates(emails: string[]): Promise<Map<string, SignInState>> {
  const { rows } = await pool.query<{ email: string; failures: number | null; ends_at: Date | null; delayed_until: Date | null; delayed_sources: number }>(
    `SELECT e.email, w.failures, w.ends_at, d.delayed_until, coalesce(d.delayed_sources, 0)::int AS delayed_sources
     FROM unnest($1::text[]) AS e(email)
     LEFT JOIN login_windows w ON w.key = 'account:' || e.email AND w.ends_at > now()
     LEFT JOIN LATERAL (SELECT max(retry_at) AS delayed_until, count(*) AS delayed_sources
                        FROM login_delays WHERE email = e.email AND retry_at > now()) d ON true`,
    [emails.map(normalizeEmail)],
  );
  return new Map(
    rows.map((r) => [
      r.email,
      {
        failures: r.failures ?? 0,
        limitedUntil: r.failures !== null && r.failures >= SIGN_IN_LIMITS.accountFailures ? r.ends_at : null,
        delayedUntil: r.delayed_until,
        delayedSources: r.delayed_sources,
      },
    ]),
  );
}

/** Clears the account window and every per-source delay of `email`, in the caller's transaction. */
export async function clearSignInLimits(tx: Pick<Prisma.TransactionClient, "loginDelay" | "loginWindow">, email: string): Promise<void> {
  const e = normalizeEmail(email);
  await tx.loginDelay.deleteMany({ where: { email: e } });
  await tx.loginWindow.deleteMany({ where: { key: accountKey(e) } });
}
