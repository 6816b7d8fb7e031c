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
  /** First local day (YYYY-MM-DD) the rule applies; it applies until the agent's next rule. */
  effectiveFrom: string;
  shares: RuleShare[];
};

/** The agent's rule in force on `day`: the one with the latest effectiveFrom not after it. */
export function ruleOn(rules: readonly Rule[], agentId: number, day: string): Rule | null {
  let best: Rule | null = null;
  for (const r of rules) {
    if (r.agentId === agentId && r.effectiveFrom <= day && (!best || r.effectiveFrom > best.effectiveFrom)) best = r;
  }
  return best;
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
