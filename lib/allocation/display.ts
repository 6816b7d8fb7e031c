// A month's allocation in a display currency (issue 20; rule in lib/currency/README.md, "Allocation"):
// - an open month is allocated again from its daily usage converted per local day (display.ts fxSql, exact), rounded
//   once to the display currency's minor unit (settle); usage of days without a rate is allocated apart in the
//   organization currency and reported, never converted at 0 or 1;
// - a closed month's frozen lines are converted at the rate of the month's last day (one rate: the frozen lines carry
//   no days) and rounded again the same way, so Σ departments + unallocated = the converted total;
// - an adjustment line (a change to closed month M) is converted at M's last-day rate too, and rounded on its own.
// Budgets and forecasts stay in the organization currency.
import "server-only";
import { BadRequestError } from "@/lib/api/errors";
import { conversionOf, displayFx, type DisplayFx } from "@/lib/currency/display";
import { minorUnits } from "@/lib/currency/iso4217";
import { daysOf } from "@/lib/analytics/period";
import { monthRange } from "@/lib/periods";
import { allocate, settle, type AllocationLine, type AllocationResult, type ExactEntry } from "./allocate";
import { UNALLOCATED_ID, withAdjustments } from "./carry";
import { Decimal, ZERO, money } from "./decimal";
import { usageRows, type PeriodAllocation } from "./load";

export type DisplayAllocation = {
  currency: string;
  /** Decimals of `currency` (ISO 4217 minor unit). */
  places: number;
  /** "daily": an open month, each day at its own rate; "month_end": a closed month, at its last day's rate. */
  rule: "daily" | "month_end";
  /** The month in the display currency. */
  result: AllocationResult;
  /** In the organization currency: the usage of days without a rate and adjustments whose month has no rate. */
  unconverted: AllocationResult;
  fx: DisplayFx;
  /** The local days whose rates the month's own figures use (every day of an open month; a closed month's last day). */
  days: string[];
  /** Per closed month an adjustment line corrects: the date of the rate used (its last day's), null when none. */
  adjustments: { adjusts: string; rateDate: string | null }[];
};

const EMPTY: AllocationResult = { total: new Decimal(0), unallocated: new Decimal(0), unallocatedLines: [], departments: new Map() };

/** Every line of `result` with its department (UNALLOCATED_ID for unallocated). */
function entriesOf(result: AllocationResult): ExactEntry[] {
  return [...[...result.departments.values()].flatMap((d) => d.lines.map((line) => ({ departmentId: d.departmentId, line }))), ...result.unallocatedLines.map((line) => ({ departmentId: UNALLOCATED_ID, line }))];
}

/** `pa` (the organization-currency allocation of its month) in `currency`; null when that is the organization currency. */
export async function displayAllocation(pa: PeriodAllocation, orgCurrency: string, currency: string | undefined): Promise<DisplayAllocation | null> {
  if (!currency || currency === orgCurrency) return null;
  const own = entriesOf(pa.result).filter((e) => e.line.kind !== "adjustment");
  const adjustmentEntries = entriesOf(pa.result).filter((e) => e.line.kind === "adjustment");
  const adjusted = [...new Set(adjustmentEntries.map((e) => e.line.adjusts!))].sort();
  const monthEnd = (m: string) => monthRange(m).to;
  const days = pa.closed ? [pa.to] : daysOf({ from: pa.from, to: pa.to });
  const fx = (await displayFx(orgCurrency, currency, [...new Set([...days, ...adjusted.map(monthEnd)])].sort()))!;
  const places = minorUnits(currency);
  const codes = new Map([...pa.departments.values()].map((d) => [d.id, d.code]));
  const rateOf = (day: string) => fx.rates.get(day) && new Decimal(fx.rates.get(day)!.rate);

  let result: AllocationResult;
  let unconverted = EMPTY;
  if (pa.closed) {
    const rate = rateOf(pa.to);
    if (!rate) {
      throw new BadRequestError(`currency: no ${orgCurrency}→${currency} rate for ${pa.to}`, [
        { path: "currency", message: `${pa.period} is closed: its frozen figures are converted at the rate of its last day, ${pa.to}, and there is none (7-day rule)` },
      ]);
    }
    result = settle(own.map((e) => ({ departmentId: e.departmentId, line: { ...e.line, amount: e.line.amount.times(rate) } })), codes, places);
  } else {
    const usage = await usageRows(pa.from, pa.to, fx);
    const input = { sharedAgentIds: new Set([...pa.agents.values()].filter((a) => a.shared).map((a) => a.id)), rules: [...pa.rules.values()], departmentCodes: codes };
    result = allocate({ ...input, rows: usage.rows, places });
    if (usage.unconverted.length) unconverted = allocate({ ...input, rows: usage.unconverted });
  }
  const converted: { departmentId: number; line: AllocationLine }[] = [];
  const left: { departmentId: number; line: AllocationLine }[] = [];
  for (const e of adjustmentEntries) {
    const rate = rateOf(monthEnd(e.line.adjusts!));
    if (rate) converted.push({ departmentId: e.departmentId, line: { ...e.line, amount: e.line.amount.times(rate).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN) } });
    else left.push(e);
  }
  return {
    currency,
    places,
    rule: pa.closed ? "month_end" : "daily",
    result: withAdjustments(result, converted),
    unconverted: withAdjustments(unconverted, left),
    fx,
    days,
    adjustments: adjusted.map((m) => ({ adjusts: m, rateDate: fx.rates.get(monthEnd(m))?.date ?? null })),
  };
}

/**
 * The response's `conversion`: the rates used, the days without one, and the organization-currency figures beside;
 * `orgUnallocated` null (a department-scoped caller, a statement) leaves the unallocated figures out.
 */
export function allocationConversion(d: DisplayAllocation, orgTotal: Decimal, unconverted: Decimal, orgUnallocated: Decimal | null) {
  return {
    ...conversionOf(d.fx, d.days),
    rule: d.rule,
    orgTotal: money(orgTotal),
    orgUnallocated: orgUnallocated && money(orgUnallocated),
    unconverted: money(unconverted),
    unconvertedUnallocated: orgUnallocated && money(d.unconverted.unallocated),
    adjustments: d.adjustments,
  };
}

/** A department's organization-currency amount left unconverted (0 when none). */
export function unconvertedOf(d: DisplayAllocation, departmentId: number): Decimal {
  return d.unconverted.departments.get(departmentId)?.total ?? ZERO;
}
