// Every money or rate input the API takes is bounded here by the precision of the column it lands in, so an
// out-of-range value is a 400 naming the field instead of a numeric-overflow 500 (or a silent rounding) in
// PostgreSQL. No server-only: the admin forms validate with the same schemas in the browser.
import { z } from "zod";

/** The shape of a PostgreSQL numeric(precision, scale) column. */
export type NumericColumn = { precision: number; scale: number };

/** Column types of the amounts the API accepts, as declared in prisma/schema.prisma. */
export const COLUMNS = {
  /** invoices.total, invoice_lines.amount, departments.monthly_budget, … */
  money: { precision: 18, scale: 2 },
  /** model_prices.*_per_mtok */
  pricePerMTok: { precision: 14, scale: 6 },
  /** task_types.baseline_minutes */
  minutes: { precision: 10, scale: 2 },
  /** task_types.loaded_hourly_cost */
  hourlyCost: { precision: 12, scale: 2 },
  /** allocation_shares.percent */
  percent: { precision: 7, scale: 4 },
  /** usage_events.cost / reported_cost */
  eventCost: { precision: 20, scale: 10 },
  /** usage_events.quantity */
  eventQuantity: { precision: 20, scale: 6 },
} as const satisfies Record<string, NumericColumn>;

/** The largest value a numeric(precision, scale) column holds, e.g. 9999999999999999.99 for (18, 2). */
export function columnMax({ precision, scale }: NumericColumn): string {
  const whole = "9".repeat(precision - scale);
  return scale ? `${whole}.${"9".repeat(scale)}` : whole;
}

/**
 * Exact decimal text for a value sent as a string or a JSON number (a number becomes its shortest round-trip
 * decimal, e.g. 0.1 → "0.1"), or an error when it does not fit numeric(intDigits + fracDigits, fracDigits).
 * Negative values only when `signed`. Cheap enough for the ingestion hot path.
 */
export function toDecimalText(value: string | number, intDigits: number, fracDigits: number, signed = false): { ok: true; value: string } | { ok: false; error: string } {
  let s: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, error: "must be a finite number" };
    s = numberToPlain(value);
  } else {
    s = value;
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return { ok: false, error: "must be a decimal number such as \"12.34\"" };
  const whole = m[2]!.replace(/^0+(?=\d)/, "");
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const negative = m[1] === "-" && (whole !== "0" || frac !== "");
  if (negative && !signed) return { ok: false, error: "must not be negative" };
  if (whole.length > intDigits) {
    const max = columnMax({ precision: intDigits + fracDigits, scale: fracDigits });
    return { ok: false, error: signed ? `must be between -${max} and ${max}` : `must be at most ${max}` };
  }
  if (frac.length > fracDigits) return { ok: false, error: `at most ${fracDigits} decimal places` };
  const text = frac ? `${whole}.${frac}` : whole;
  return { ok: true, value: negative ? `-${text}` : text };
}

/** Plain (non-exponent) decimal text of a finite number's shortest representation. */
function numberToPlain(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2]! + (m[3] ?? "");
  const exp = Number(m[4]);
  if (exp < 0) return `${m[1]}0.${"0".repeat(-exp - 1)}${digits}`;
  return m[1] + digits.padEnd(exp + 1, "0");
}

/**
 * A zod schema for an amount that must fit `column`: a decimal string or JSON number in, normalised decimal text
 * out (e.g. "12.50" → "12.5"). `signed` allows negatives; `max` lowers the upper bound below the column's.
 */
export function decimalInput(column: NumericColumn, opts: { signed?: boolean; max?: number } = {}) {
  const intDigits = column.precision - column.scale;
  return z
    .union([z.string().trim(), z.number()], { error: "must be a decimal number such as \"12.34\"" })
    .transform((value, ctx) => {
      const result = toDecimalText(value, intDigits, column.scale, opts.signed);
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: result.error });
        return z.NEVER;
      }
      if (opts.max !== undefined && Number(result.value) > opts.max) {
        ctx.addIssue({ code: "custom", message: `must be at most ${opts.max}` });
        return z.NEVER;
      }
      return result.value;
    });
}
