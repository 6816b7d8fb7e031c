// Invoices in the customer's billing currency: which rate values an amount held in another currency, and the
// record of the rates used (shown on the invoice) and of those missing (which block finalizing). Rule in README.md.
import { ratesAround } from "@/lib/currency/display";
import { convert, selectRate, type StoredRate } from "@/lib/currency/select";
import { Dec } from "./money";
import { lastDayOf, type BillingPeriod } from "./period";
import type { InvoiceFx } from "./schemas";

export type FxRule = InvoiceFx["rule"];

export function firstDay(period: BillingPeriod): string {
  return `${period.period}-01`;
}

/** The stored rates any conversion between `codes` on the period's days can use, read once. */
export async function periodRates(codes: string[], period: BillingPeriod): Promise<StoredRate[]> {
  return codes.length < 2 ? [] : ratesAround(codes, firstDay(period), lastDayOf(period.period));
}

/**
 * Values amounts into one invoice's currency by its rule, straight from each amount's own currency (never through
 * the reporting currency), and records every rate used and every one missing. Amounts come back exact (the one
 * division at the 40th digit); the invoice line is rounded once, later.
 */
export class FxValuer {
  private readonly used = new Map<string, InvoiceFx["rates"][number]>();
  private readonly absent = new Map<string, InvoiceFx["missing"][number]>();

  constructor(
    readonly to: string,
    readonly rule: FxRule,
    private readonly periodEnd: string,
    private readonly rows: readonly StoredRate[],
  ) {}

  /** The day whose rate values an amount of `day` under the rule. */
  rateDay(day: string): string {
    return this.rule === "event_day" ? day : this.periodEnd;
  }

  /** `amount` in `from` (held on `day`) in the invoice currency, or null when no rate qualifies (recorded as missing). */
  value(amount: Dec, from: string, day: string): Dec | null {
    if (from === this.to) return amount;
    const rateDay = this.rateDay(day);
    const fx = selectRate(from, this.to, rateDay, this.rows);
    const key = `${from}|${rateDay}`;
    if (!fx) {
      this.absent.set(key, { from, to: this.to, day: rateDay });
      return null;
    }
    this.used.set(key, { from, to: this.to, day: rateDay, date: fx.date, method: fx.method, rate: fx.rate.toFixed() });
    return new Dec(convert(amount.toFixed(), fx).toFixed());
  }

  /** What the invoice shows; null when nothing needed converting. */
  record(): InvoiceFx | null {
    if (this.used.size === 0 && this.absent.size === 0) return null;
    const byKey = <T extends { from: string; day: string }>(a: T, b: T) => a.from.localeCompare(b.from) || a.day.localeCompare(b.day);
    return { rule: this.rule, rates: [...this.used.values()].sort(byKey), missing: [...this.absent.values()].sort(byKey) };
  }
}

/** Several records of one invoice (its own period and late re-ratings) as one: rates and missing ones, deduplicated. */
export function mergeFx(records: (InvoiceFx | null | undefined)[]): InvoiceFx | null {
  const present = records.filter((r): r is InvoiceFx => !!r);
  if (present.length === 0) return null;
  const key = (r: { from: string; to: string; day: string }) => `${r.from}|${r.to}|${r.day}`;
  const rates = new Map(present.flatMap((r) => r.rates.map((x) => [key(x), x] as const)));
  const missing = new Map(present.flatMap((r) => r.missing.map((x) => [key(x), x] as const)));
  return { rule: present[0]!.rule, rates: [...rates.values()], missing: [...missing.values()] };
}

/** The message that blocks finalizing an invoice with missing rates: each currency pair and day. */
export function missingRatesMessage(invoiceId: number, missing: InvoiceFx["missing"]): string {
  const list = missing.map((m) => `${m.from}→${m.to} for ${m.day}`).join(", ");
  return `Invoice ${invoiceId} cannot be finalized: no FX rate ${list} (a rate dated that day or up to 7 days before, direct, inverse or through EUR). Store the rate (PUT /api/v1/fx-rates or Admin → FX rates) and regenerate the draft.`;
}
