// The budget check: every limit that applies to a call (the agent's, its department's and each ancestor's, the
// calling key's) is compared with its current period's spend plus the estimated cost; the tightest answer wins.
import Decimal from "decimal.js";
import { BadRequestError, ServiceUnavailableError } from "@/lib/api/errors";
import { MAX_CACHE_AGE_MS, type BudgetCache, type CachedLimit } from "./cache";

export type CheckInput = { agent: string; department?: string; estimatedCost?: { amount: string; currency: string } };
export type Level = "ok" | "soft" | "hard";

export type LimitView = {
  id: number | null;
  scope: CachedLimit["scope"];
  target: string;
  period: CachedLimit["period"];
  soft: string | null;
  hard: string | null;
  failMode: CachedLimit["failMode"];
  /** null when the answer did not come from current data. */
  spent: string | null;
  periodStart: string;
};

export type CheckResult = {
  allowed: boolean;
  level: Level;
  limit: LimitView | null;
  remaining: string | null;
  resetsAt: string | null;
  /** cache: answered from current data; failOpen / failClosed: the data was older than 60 s (database unreachable). */
  answeredFrom: "cache" | "failOpen" | "failClosed";
  cacheAgeMs: number;
};

/** A crossing worth recording (audit log, alert): the limit, its level and period. */
export type Crossing = { limit: CachedLimit; level: "soft" | "hard"; spent: Decimal; periodStart: string; currency: string };

const RANK: Record<Level, number> = { ok: 0, soft: 1, hard: 2 };

type Evaluated = { limit: CachedLimit; level: Level; spent: Decimal; remaining: Decimal | null; from: string; resetsAt: Date };

export function checkBudget(cache: BudgetCache, input: CheckInput, apiKeyId: number | null, onCrossing?: (c: Crossing) => void): CheckResult {
  const config = cache.config;
  if (!config) throw new ServiceUnavailableError();
  const now = cache.now();
  const age = cache.ageMs();
  const estimate = estimateOf(input, config.currency);
  const agent = config.agents.get(input.agent);
  let departmentId = agent?.departmentId ?? null;
  if (input.department !== undefined) {
    const id = config.departmentByCode.get(input.department);
    if (id === undefined) throw new BadRequestError("Invalid request body", [{ path: "department", message: `Unknown department '${input.department}'` }]);
    departmentId = id;
  }
  const chain = departmentId === null ? [] : (config.ancestors.get(departmentId) ?? []);
  const applicable = config.limits.filter((l) =>
    l.scope === "agent" ? agent !== undefined && l.targetId === agent.id
    : l.scope === "apiKey" ? l.targetId === apiKeyId
    : chain.includes(l.targetId));

  if (age > MAX_CACHE_AGE_MS) return failed(cache, applicable, now, age);

  let best: Evaluated | null = null;
  for (const limit of applicable) {
    const w = cache.window(limit.period, now);
    const spent = cache.spent(limit, w);
    const projected = spent.plus(estimate);
    const level: Level =
      limit.hard && (spent.gte(limit.hard) || projected.gt(limit.hard)) ? "hard"
      : limit.soft && projected.gte(limit.soft) ? "soft"
      : "ok";
    const cap = limit.hard ?? limit.soft;
    const remaining = cap ? Decimal.max(0, cap.minus(spent)) : null;
    const e: Evaluated = { limit, level, spent, remaining, from: w.from, resetsAt: w.resetsAt };
    if (!best || RANK[level] > RANK[best.level] || (RANK[level] === RANK[best.level] && tighter(e, best))) best = e;
    if (level !== "ok" && onCrossing) onCrossing({ limit, level, spent, periodStart: w.from, currency: config.currency });
  }
  if (!best) return { allowed: true, level: "ok", limit: null, remaining: null, resetsAt: null, answeredFrom: "cache", cacheAgeMs: age };
  return {
    allowed: best.level !== "hard",
    level: best.level,
    limit: view(best.limit, best.spent, best.from),
    remaining: best.remaining?.toFixed(2) ?? null,
    resetsAt: best.resetsAt.toISOString(),
    answeredFrom: "cache",
    cacheAgeMs: age,
  };
}

/** Less left before the limit's cap; a limit with a cap beats one without. */
function tighter(a: Evaluated, b: Evaluated): boolean {
  if (a.remaining === null) return false;
  if (b.remaining === null) return true;
  return a.remaining.lt(b.remaining);
}

function estimateOf(input: CheckInput, currency: string): Decimal {
  const e = input.estimatedCost;
  if (!e) return new Decimal(0);
  if (e.currency.toUpperCase() !== currency) {
    throw new BadRequestError("Invalid request body", [{ path: "estimatedCost.currency", message: `Must be the organization's reporting currency, ${currency}` }]);
  }
  return new Decimal(e.amount);
}

/** The data is too old to trust: any fail-closed limit denies; otherwise allowed. */
function failed(cache: BudgetCache, applicable: CachedLimit[], now: number, age: number): CheckResult {
  const closed = applicable.find((l) => l.failMode === "closed");
  const limit = closed ?? applicable[0];
  const w = limit ? cache.window(limit.period, now) : null;
  return {
    allowed: !closed,
    level: closed ? "hard" : "ok",
    limit: limit && w ? view(limit, null, w.from) : null,
    remaining: null,
    resetsAt: w?.resetsAt.toISOString() ?? null,
    answeredFrom: closed ? "failClosed" : "failOpen",
    cacheAgeMs: Number.isFinite(age) ? age : -1,
  };
}

function view(l: CachedLimit, spent: Decimal | null, from: string): LimitView {
  return {
    id: l.id,
    scope: l.scope,
    target: l.target,
    period: l.period,
    soft: l.soft?.toFixed(2) ?? null,
    hard: l.hard?.toFixed(2) ?? null,
    failMode: l.failMode,
    spent: spent?.toFixed(2) ?? null,
    periodStart: from,
  };
}
