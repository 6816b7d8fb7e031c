// Current use vs limit for the Allocation page and the agent page: the limits that apply to an agent (its own and
// its department chain's) or a department (its own and its parents'), or every department limit, with their spend in
// the current period from the budget cache — the same numbers a budget check compares. Department-scoped users see
// the limits of their own departments and agents; limits of parents outside their scope are counted, not shown.
import "server-only";
import Decimal from "decimal.js";
import type { z } from "zod";
import { NotFoundError } from "@/lib/api/errors";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import type { CachedLimit } from "./cache";
import type { budgetUseList, budgetUseQuery, BudgetUse } from "./schemas";
import { budgetCache } from "./service";

const RANK = { ok: 0, soft: 1, hard: 2 } as const;

export async function budgetUseFor(caller: Caller, query: z.infer<typeof budgetUseQuery>): Promise<z.infer<typeof budgetUseList>> {
  const cache = budgetCache();
  await cache.start();
  const config = cache.config!;
  const scope = departmentScope(caller);
  const inScope = (departmentId: number | null) => !scope || (departmentId !== null && scope.includes(departmentId));

  let applies: (l: CachedLimit) => boolean;
  if (query.agent !== undefined) {
    const agent = config.agents.get(query.agent);
    // As on the agent page: an agent outside the caller's departments does not exist for them.
    if (!agent || !inScope(agent.departmentId)) throw new NotFoundError(`No agent '${query.agent}'`);
    const chain = agent.departmentId === null ? [] : (config.ancestors.get(agent.departmentId) ?? []);
    applies = (l) => (l.scope === "agent" ? l.targetId === agent.id : l.scope === "department" && chain.includes(l.targetId));
  } else if (query.department !== undefined) {
    const id = config.departmentByCode.get(query.department);
    if (id === undefined || !inScope(id)) throw new NotFoundError(`No department '${query.department}'`);
    const chain = config.ancestors.get(id) ?? [];
    applies = (l) => l.scope === "department" && chain.includes(l.targetId);
  } else {
    applies = (l) => l.scope === "department";
  }

  const now = cache.now();
  const all = config.limits.filter(applies);
  const shown = all.filter((l) => l.scope === "agent" || inScope(l.targetId));
  const items: BudgetUse[] = shown.map((l) => {
    const w = cache.window(l.period, now);
    const spent = cache.spent(l, w);
    const cap = l.hard ?? l.soft;
    const level = l.hard && spent.gte(l.hard) ? "hard" : l.soft && spent.gte(l.soft) ? "soft" : "ok";
    return {
      id: l.id,
      scope: l.scope as "department" | "agent",
      target: l.target,
      period: l.period,
      soft: l.soft?.toFixed(2) ?? null,
      hard: l.hard?.toFixed(2) ?? null,
      spent: spent.toFixed(2),
      usedPercent: cap && cap.gt(0) ? spent.div(cap).times(100).toFixed(1) : null,
      level,
      periodStart: w.from,
      resetsAt: w.resetsAt.toISOString(),
      tightest: false,
    };
  });
  // Tightest only among the limits of one agent's or department's chain (a list of every department has none).
  if (query.agent !== undefined || query.department !== undefined) {
    const left = (u: BudgetUse) => { const cap = u.hard ?? u.soft; return cap === null ? null : Decimal.max(0, new Decimal(cap).minus(u.spent)); };
    let best: BudgetUse | undefined;
    for (const u of items) {
      if (!best || RANK[u.level] > RANK[best.level]) { best = u; continue; }
      const [a, b] = [left(u), left(best)];
      if (RANK[u.level] === RANK[best.level] && a !== null && (b === null || a.lt(b))) best = u;
    }
    if (best) best.tightest = true;
  }
  items.sort((a, b) => a.scope.localeCompare(b.scope) || a.target.localeCompare(b.target) || a.period.localeCompare(b.period));
  return { currency: config.currency, items, hidden: all.length - shown.length };
}
