// Allocation rules as plain data: which rule applies on a day, and what makes a rule valid.
import { Decimal, sum } from "./decimal";

export const METHODS = ["proportional", "fixed", "even"] as const;
export const DRIVERS = ["tasks", "events", "quantity"] as const;
export type Method = (typeof METHODS)[number];
export type Driver = (typeof DRIVERS)[number];

export type RuleShare = { departmentId: number; percent: Decimal | null };
export type Rule = {
  id: number;
  agentId: number;
  method: Method;
  driver: Driver | null;
  /** First local day (YYYY-MM-DD) the rule applies; it applies until the agent's next rule or its end. */
  effectiveFrom: string;
  /** Last day (inclusive) the rule applies, or null; after it the agent has no rule until its next one. */
  effectiveTo: string | null;
  shares: RuleShare[];
};

/** The agent's rule in force on `day`: the one with the latest effectiveFrom not after it, unless it has ended. */
export function ruleOn(rules: readonly Rule[], agentId: number, day: string): Rule | null {
  let best: Rule | null = null;
  for (const r of rules) {
    if (r.agentId === agentId && r.effectiveFrom <= day && (!best || r.effectiveFrom > best.effectiveFrom)) best = r;
  }
  return best && (best.effectiveTo === null || day <= best.effectiveTo) ? best : null;
}

type Version = { id?: number; effectiveFrom: string; effectiveTo: string | null };

/**
 * Versions of one agent's rule must not overlap: a version that ends must end before the next one starts, and
 * before its own start nothing may be left. `candidate` is checked against the agent's other versions.
 */
export function overlapProblems(candidate: Version, others: readonly Version[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (candidate.effectiveTo !== null && candidate.effectiveTo < candidate.effectiveFrom) {
    problems.push({ path: "effectiveTo", message: "must be on or after effectiveFrom" });
  }
  const rest = others.filter((o) => o.id === undefined || o.id !== candidate.id);
  const same = rest.find((o) => o.effectiveFrom === candidate.effectiveFrom);
  if (same) problems.push({ path: "effectiveFrom", message: `another version (#${same.id}) already starts on ${candidate.effectiveFrom}` });
  const previous = rest.filter((o) => o.effectiveFrom < candidate.effectiveFrom).sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
  if (previous?.effectiveTo && previous.effectiveTo >= candidate.effectiveFrom) {
    problems.push({ path: "effectiveFrom", message: `overlaps version #${previous.id}, which runs until ${previous.effectiveTo}` });
  }
  const next = rest.filter((o) => o.effectiveFrom > candidate.effectiveFrom).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))[0];
  if (next && candidate.effectiveTo !== null && candidate.effectiveTo >= next.effectiveFrom) {
    problems.push({ path: "effectiveTo", message: `overlaps version #${next.id}, which starts on ${next.effectiveFrom}` });
  }
  return problems;
}

export type RuleProblem = { path: string; message: string };

/**
 * Proportional: a driver; shares optional (if listed, only those departments pay, in proportion to their
 * driver). Fixed: at least one share, every share a percent > 0, summing to exactly 100. Even: at least one share.
 */
export function ruleProblems(rule: { method: Method; driver: Driver | null; shares: { departmentId: number; percent: Decimal | null }[] }): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const ids = rule.shares.map((s) => s.departmentId);
  if (new Set(ids).size !== ids.length) problems.push({ path: "shares", message: "lists a department more than once" });
  if (rule.method === "proportional" && !rule.driver) problems.push({ path: "driver", message: "is required for the proportional method" });
  if (rule.method !== "proportional" && rule.driver) problems.push({ path: "driver", message: `must be empty for the ${rule.method} method` });
  if (rule.method !== "proportional" && rule.shares.length === 0) problems.push({ path: "shares", message: `the ${rule.method} method needs at least one department` });
  rule.shares.forEach((s, i) => {
    if (rule.method === "fixed" && (!s.percent || !s.percent.greaterThan(0))) problems.push({ path: `shares.${i}.percent`, message: "must be greater than 0" });
    if (rule.method !== "fixed" && s.percent) problems.push({ path: `shares.${i}.percent`, message: `must be empty for the ${rule.method} method` });
  });
  if (rule.method === "fixed" && rule.shares.every((s) => s.percent)) {
    const total = sum(rule.shares.map((s) => s.percent!));
    if (!total.equals(100)) problems.push({ path: "shares", message: `percentages must sum to 100 (they sum to ${total.toString()})` });
  }
  return problems;
}
