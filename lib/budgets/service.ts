// The process's budget cache and what the check route needs around it: cached API key lookups, crossings recorded in
// the audit log and as alerts through the notification channels, and the hook ingestion calls.
import "server-only";
import pg from "pg";
import { audit } from "@/lib/audit";
import { findApiKey } from "@/lib/auth/api-keys";
import { hashSecret } from "@/lib/auth/secret-hash";
import type { ApiKeyCaller } from "@/lib/auth/caller";
import { ServiceUnavailableError } from "@/lib/api/errors";
import { enqueueDeliveries } from "@/lib/alerts/webhooks";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { BudgetCache, MAX_CACHE_AGE_MS } from "./cache";
import { checkBudget, type CheckInput, type CheckResult, type Crossing } from "./check";
import type { SpendRow } from "./spend-sql";

const globalForBudget = globalThis as unknown as { budgetCache?: BudgetCache };
let cache = globalForBudget.budgetCache;
const keys = new Map<string, { key: Omit<ApiKeyCaller, "kind">; at: number }>();

/** This process's cache, created on first use (processes that never check a budget never load it). */
export function budgetCache(): BudgetCache {
  if (!cache) {
    // Its own small pool: reloads must not wait behind request queries, and fail fast when the database is down.
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 2, connectionTimeoutMillis: 2_000, query_timeout: 5_000 });
    pool.on("error", () => {});
    cache = new BudgetCache({ pool, connectionString: env().DATABASE_URL, log: (m, f) => log.warn(m, f) });
    cache.onKeysChanged(() => keys.clear());
    if (env().NODE_ENV === "development") globalForBudget.budgetCache = cache;
  }
  return cache;
}

// scripts/serve.mjs answers checks in a process of their own: its Next process relays what the check process must know
// before a response goes out (spend its ingestion wrote, a change of keys or limits), and waits for the check
// process to have applied it. Both halves are set here; serve.mjs connects them (process IPC).
type Relay = {
  spendWritten?: (rows: SpendRow[]) => Promise<void>;
  configChanged?: () => Promise<void>;
  applySpend?: (rows: SpendRow[]) => void;
  reloadConfig?: () => Promise<void>;
};
const relay = ((globalThis as { [key: symbol]: unknown })[Symbol.for("agentledger.budgetRelay")] ??= {}) as Relay;
relay.applySpend = (rows) => cache?.applyLocal(rows);
relay.reloadConfig = async () => {
  keys.clear();
  await cache?.reloadConfig();
};

/** Ingestion on this instance wrote these spend rows: the next check here sees them (other instances via NOTIFY). */
export async function budgetSpendWritten(rows: SpendRow[]): Promise<void> {
  cache?.applyLocal(rows);
  if (rows.length > 0) await relay.spendWritten?.(rows);
}

/** Revocation on this instance: dropped before the response (other instances drop theirs on the trigger's NOTIFY). */
export async function forgetCachedApiKeys(): Promise<void> {
  keys.clear();
  await relay.configChanged?.();
}

/** A change of limits made by this request: visible to this instance's checks before the response. */
export async function reloadBudgetConfig(): Promise<void> {
  await budgetCache().reloadConfig();
  await relay.configChanged?.();
}

/**
 * The key behind a budget check. Cached while the cache listens (a key change notifies every instance); looked up
 * again otherwise, and with the database down a cached key is used while the cache is at most 60 s old.
 */
export async function budgetCheckCaller(authorization: string | null): Promise<ApiKeyCaller | null> {
  const secret = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!secret) return null;
  const c = budgetCache();
  await c.start().catch(() => {});
  const hash = hashSecret(secret);
  const hit = keys.get(hash);
  if (hit && c.ageMs() <= 2_000) return { kind: "apiKey", ...hit.key };
  try {
    const key = await findApiKey(secret);
    if (key) keys.set(hash, { key, at: c.now() });
    return key ? { kind: "apiKey", ...key } : null;
  } catch (error) {
    if (hit && c.ageMs() <= MAX_CACHE_AGE_MS) return { kind: "apiKey", ...hit.key };
    throw error;
  }
}

const recorded = new Set<string>();

export async function runBudgetCheck(input: CheckInput, caller: ApiKeyCaller): Promise<CheckResult> {
  const c = budgetCache();
  if (!c.config) await c.start().catch(() => { throw new ServiceUnavailableError(); });
  return checkBudget(c, input, caller.id, (crossing) => void recordCrossing(crossing, caller));
}

/**
 * The first soft crossing and the first denial of a limit in a period: one alert each (key unique across
 * instances), sent through the notification channels, and one audit entry. Later checks of the same period add
 * nothing. The implicit limits of monthly budgets are left to the budget alerts (lib/alerts).
 */
async function recordCrossing(c: Crossing, caller: ApiKeyCaller): Promise<void> {
  if (c.limit.id === null) return;
  const key = `budget-limit:${c.limit.id}:${c.periodStart}:${c.level}`;
  if (recorded.has(key)) return;
  recorded.add(key);
  const amount = (c.level === "hard" ? c.limit.hard : c.limit.soft)!;
  const message = `${c.level === "hard" ? "Denied: hard" : "Soft"} budget limit of ${c.limit.scope} ${c.limit.target} (${c.limit.period} from ${c.periodStart}) reached: ${c.spent.toFixed(2)} of ${amount.toFixed(2)} ${c.currency}`;
  try {
    await db.$transaction(async (tx) => {
      const now = new Date();
      const rows = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO alerts (key, kind, department_id, period, status, message, value, threshold, opened_at, last_evaluated_at)
        VALUES (${key}, 'budget_limit', ${c.limit.scope === "department" ? c.limit.targetId : null}, ${c.periodStart}, 'open',
                ${message}, ${c.spent.toFixed(2)}::numeric, ${amount.toFixed(2)}::numeric, ${now}, ${now})
        ON CONFLICT (key) DO NOTHING RETURNING id`;
      if (!rows[0]) return; // another instance recorded it first
      await enqueueDeliveries(tx, "alert.opened", {
        alert: { id: rows[0].id, key, kind: "budget_limit", department: c.limit.scope === "department" ? c.limit.target : null, period: c.periodStart, status: "open", message, value: c.spent.toFixed(2), threshold: amount.toFixed(2), openedAt: now.toISOString() },
      }, now, { kind: "budget", departmentId: c.limit.scope === "department" ? c.limit.targetId : null });
      await audit(tx, {
        actor: caller,
        action: c.level === "hard" ? "budget.deny" : "budget.soft_crossed",
        entity: "budget_limit",
        entityId: c.limit.id,
        after: { scope: c.limit.scope, target: c.limit.target, period: c.limit.period, periodStart: c.periodStart, spent: c.spent.toFixed(2), soft: c.limit.soft?.toFixed(2) ?? null, hard: c.limit.hard?.toFixed(2) ?? null },
      });
    });
  } catch (error) {
    recorded.delete(key); // database down: the next crossing check tries again
    log.warn("budget crossing not recorded", { key, error: (error as Error).message });
  }
}
