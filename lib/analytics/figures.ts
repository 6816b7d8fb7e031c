// The per-task and return figures, defined once: every page, API and export that shows them calls these
// (the month-end forecast is ./forecast.ts). Pure, so tests and the client can use them too.
import Decimal from "decimal.js";

/**
 * Cost per task = all of the cost in the group and period (task records, LLM calls, every event) ÷ the tasks an
 * agent handled there, whatever their outcome. 6 decimal places, half up; null without a task.
 */
export function costPerTask(cost: Decimal.Value, agentTasks: number | bigint): string | null {
  const tasks = Number(agentTasks);
  return tasks === 0 ? null : new Decimal(cost).div(tasks).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6);
}

/**
 * ROI = (value − cost) ÷ cost, as a ratio (1 = 100 %), 4 decimal places; null when there is no cost to divide by.
 * Value = completed agent tasks × the task type's baseline minutes ÷ 60 × its loaded hourly cost.
 */
export function roiRatio(value: Decimal.Value, cost: Decimal.Value): number | null {
  const c = new Decimal(cost);
  return c.isZero() ? null : new Decimal(value).minus(c).div(c).toDecimalPlaces(4).toNumber();
}

/**
 * Escalation rate = the agent tasks handed to a human (status escalated) ÷ the tasks agents handled, whatever their
 * outcome, as a ratio (0.1 = 10 %); null without an agent task. Unrounded: pages format it, CSVs keep it whole.
 */
export function escalationRate(escalations: number | bigint, agentTasks: number | bigint): number | null {
  const tasks = Number(agentTasks);
  return tasks === 0 ? null : Number(escalations) / tasks;
}
