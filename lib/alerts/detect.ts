// Alert conditions as pure functions: budget thresholds, forecast over budget, and daily spend anomalies.
import { roundCents } from "@/lib/allocation/apportion";
import { Decimal } from "@/lib/allocation/decimal";
import { formatMoney, formatNumber, formatPercent } from "@/lib/format";

export type Basis = "spend" | "forecast";
export type Threshold = { basis: Basis; percent: number };

/** The spend ladder of Salesforce's Digital Wallet consumption alerts. */
export const DEFAULT_SPEND_PERCENTS: readonly number[] = [50, 70, 80, 85, 90, 95, 100];

/** The ladder a budget without thresholds of its own uses (and the editor starts from). */
export const DEFAULT_THRESHOLDS: readonly Threshold[] = [
  ...DEFAULT_SPEND_PERCENTS.map((percent): Threshold => ({ basis: "spend", percent })),
  { basis: "forecast", percent: 100 },
];

export type Condition = {
  /** Identity of the condition: one alert per key, however often it is evaluated. */
  key: string;
  kind: "budget" | "forecast" | "anomaly" | "commitment";
  departmentId: number | null;
  period: string;
  active: boolean;
  message: string;
  value: Decimal;
  threshold: Decimal;
  /** An app path that shows what the alert is about (an anomaly: Usage filtered to its driver); else the alerts page. */
  link?: string;
};

/** A department, or the organization (id null, code "ORG"). */
type BudgetedDepartment = { id: number | null; code: string; name: string; total: Decimal; forecast: Decimal; budget: Decimal };

/** One condition per threshold, active once spend (or the month-end forecast) reaches percent × budget. */
export function budgetConditions(d: BudgetedDepartment, thresholds: readonly Threshold[], period: string, currency: string): Condition[] {
  return thresholds.map((t) => {
    const value = t.basis === "spend" ? d.total : d.forecast;
    const threshold = roundCents(d.budget.times(t.percent).div(100));
    const used = d.budget.isZero() ? "—" : formatPercent(value.div(d.budget).toNumber());
    const m = (v: Decimal) => formatMoney(v.toFixed(2), currency);
    return {
      key: `${t.basis === "spend" ? "budget" : "forecast"}:${d.code}:${period}:${t.percent}`,
      kind: t.basis === "spend" ? "budget" : "forecast",
      departmentId: d.id,
      period,
      active: value.greaterThanOrEqualTo(threshold),
      message:
        t.basis === "spend"
          ? `${d.name} (${d.code}) has spent ${m(value)} in ${period}: ${used} of its ${m(d.budget)} budget (threshold ${t.percent}%)`
          : `${d.name} (${d.code}) is forecast to spend ${m(value)} in ${period}: ${used} of its ${m(d.budget)} budget (threshold ${t.percent}%)`,
      value: roundCents(value),
      threshold,
    };
  });
}

/**
 * Spend anomaly: a day's spend far above its trailing baseline.
 *
 * Method: over the BASELINE_DAYS days before the day (days without spend count as 0), take the median m
 * and the median absolute deviation MAD. The day is anomalous when its spend exceeds
 *   max(m + 4 × 1.4826 × MAD, 2 × m)   and is at least MIN_EXCESS above m.
 * 1.4826 × MAD estimates the standard deviation for normal data while ignoring earlier spikes (a robust
 * z-score above 4); the 2 × m floor keeps perfectly flat histories (MAD = 0) from alerting on small wobbles,
 * MIN_EXCESS keeps tiny amounts quiet. At least MIN_ACTIVE_DAYS baseline days must have spend, so a
 * department that just started is not judged against nothing.
 */
export const BASELINE_DAYS = 14;
export const MIN_ACTIVE_DAYS = 7;
export const MIN_EXCESS = new Decimal(1);

function median(values: Decimal[]): Decimal {
  const s = [...values].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : s[mid - 1]!.plus(s[mid]!).div(2);
}

export type AnomalyCheck = { anomalous: boolean; baseline: Decimal; threshold: Decimal };

export function checkAnomaly(baseline: readonly Decimal[], spend: Decimal): AnomalyCheck | null {
  if (baseline.filter((v) => v.greaterThan(0)).length < MIN_ACTIVE_DAYS) return null;
  const m = median([...baseline]);
  const mad = median(baseline.map((v) => v.minus(m).abs()));
  const threshold = Decimal.max(m.plus(mad.times("1.4826").times(4)), m.times(2));
  return { anomalous: spend.greaterThan(threshold) && spend.minus(m).greaterThanOrEqualTo(MIN_EXCESS), baseline: m, threshold };
}

/** The anomaly condition of one day, or null when the history is too short to judge. */
export function anomalyCondition(
  subject: { id: number | null; code: string; name: string },
  day: string,
  baseline: readonly Decimal[],
  spend: Decimal,
  currency: string,
): Condition | null {
  const check = checkAnomaly(baseline, spend);
  if (!check) return null;
  const m = (v: Decimal) => formatMoney(v.toFixed(2), currency);
  return {
    key: `anomaly:${subject.code}:${day}`,
    kind: "anomaly",
    departmentId: subject.id,
    period: day,
    active: check.anomalous,
    message: `${subject.name} spent ${m(spend)} on ${day}, above its ${BASELINE_DAYS}-day baseline of ${m(check.baseline)} (anomaly threshold ${m(check.threshold)})`,
    value: roundCents(spend),
    threshold: roundCents(check.threshold),
  };
}


/** A member of one dimension (an agent, a model, a department) with its spend on the day and over the baseline days. */
export type Member = { dimension: "agent" | "model" | "department"; key: string; label: string; spend: Decimal; baselineTotal: Decimal };
export type Driver = Member & { change: Decimal };

/**
 * What drove an anomaly: the member with the largest contribution to the rise. A member's contribution is its spend
 * on the day minus its average day over the BASELINE_DAYS before (averages add up, so one dimension's contributions
 * sum to the day's spend minus the subject's average day). Ties go to the first dimension listed, then the key.
 */
export function largestContribution(members: readonly Member[]): Driver | null {
  let best: Driver | null = null;
  for (const m of members) {
    const change = m.spend.minus(m.baselineTotal.div(BASELINE_DAYS));
    if (change.lessThanOrEqualTo(0)) continue;
    if (!best || change.greaterThan(best.change) || (change.equals(best.change) && m.dimension === best.dimension && m.key < best.key)) best = { ...m, change };
  }
  return best;
}

/** A customer's commitment: prepaid credits (amount in credits) or committed spend (in the organization currency). */
export type CommitmentUse = { id: number; customer: string; kind: "credits" | "spend"; amount: Decimal; balance: Decimal; from: string; to: string; runsOutOn: string | null };

/**
 * The commitment ladder, like a budget's (Salesforce's Digital Wallet consumption cards): one condition per step of
 * the amount used, keyed per commitment, so a new commitment starts a new ladder. The message gives the projected
 * run-out date at the average daily pace so far (lib/billing/burndown.ts).
 */
export function commitmentConditions(c: CommitmentUse, percents: readonly number[], currency: string): Condition[] {
  const used = c.amount.minus(c.balance);
  const show = (v: Decimal) => (c.kind === "spend" ? formatMoney(roundCents(v).toFixed(2), currency) : formatNumber(v.toDecimalPlaces(0).toNumber()));
  const share = c.amount.isZero() ? "—" : formatPercent(used.div(c.amount).toNumber());
  const what = c.kind === "spend" ? "committed spend" : "prepaid credits";
  return percents.map((percent) => {
    const threshold = c.amount.times(percent).div(100);
    return {
      key: `commitment:${c.id}:${percent}`,
      kind: "commitment",
      departmentId: null,
      period: `${c.from}/${c.to}`,
      active: !c.amount.isZero() && used.greaterThanOrEqualTo(threshold),
      message:
        `${c.customer} has used ${show(used)} of its ${show(c.amount)} ${what} (${share}, threshold ${percent}%); ` +
        (c.runsOutOn ? `at the current pace it runs out on ${c.runsOutOn}` : "nothing drawn yet, no run-out date") +
        (c.runsOutOn && c.runsOutOn <= c.to ? `, before the commitment ends on ${c.to}` : ""),
      value: roundCents(used),
      threshold: roundCents(threshold),
    };
  });
}
