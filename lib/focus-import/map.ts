// One FOCUS row → a charge (what the row says, in its own currency), then → events (one per day of the
// organization's time zone the charge period covers, amounts split exactly). Pure: the runner (run.ts) passes the
// lookups in. Rules: README.md here.
import { createHash } from "node:crypto";
import { TZDate } from "@date-fns/tz";
import { Decimal } from "@/lib/allocation/decimal";
import { convertedCost, localDay, type FxLookup } from "@/lib/currency/event-cost";
import { isActiveCurrency } from "@/lib/currency/iso4217";
import type { EventRow } from "@/lib/ingest/validate";
import { addDaysTo } from "@/lib/periods";
import { cell, decimalCell, FocusCellError, NUMBER, parseDateTime, parseTags, sourceValue, type FocusRecord } from "./columns";
import type { FocusSettings } from "./settings-schema";

/**
 * The columns whose values make a row's identity (with the values of the columns and tags the mapping rules read,
 * and the row's ordinal among identical rows). The amounts are part of it: a restated row whose cost changed is
 * a new row, and the earlier one is reversed (run.ts).
 */
export const IDENTITY_COLUMNS = [
  "BillingAccountId", "SubAccountId", "BillingPeriodStart", "ChargePeriodStart", "ChargePeriodEnd",
  "ChargeCategory", "ChargeClass", "ChargeFrequency", "ServiceProviderName", "ServiceName", "RegionId",
  "ResourceId", "SkuId", "SkuPriceId", "CommitmentDiscountId", "ChargeDescription",
  "BillingCurrency", "BilledCost", "EffectiveCost", "ConsumedQuantity", "ConsumedUnit",
] as const;

const IDENTITY_INSTANTS = new Set(["BillingPeriodStart", "ChargePeriodStart", "ChargePeriodEnd"]);
const IDENTITY_NUMBERS = new Set(["BilledCost", "EffectiveCost", "ConsumedQuantity"]);

/**
 * An identity column's value, normalised: date-times as the instant, amounts as their decimal value. The same bill
 * exported as CSV ("13.50", "2026-10-07T00:00:00Z") or Parquet (DECIMAL 13.5, a TIMESTAMP) has one identity.
 */
function identityValue(record: FocusRecord, column: string): string | null {
  const text = cell(record, column);
  if (text === null) return null;
  if (IDENTITY_INSTANTS.has(column)) {
    const ms = parseDateTime(text);
    return ms === null ? text : new Date(ms).toISOString();
  }
  if (IDENTITY_NUMBERS.has(column) && NUMBER.test(text)) return new Decimal(text).toFixed();
  return text;
}

/** A charge period longer than this (three years) is refused rather than spread into thousands of events. */
export const MAX_SPREAD_DAYS = 1096;

export type FocusCharge = {
  /** Hash of the identity columns (base64url, 128 bits); the runner adds the ordinal. */
  identity: string;
  start: number;
  end: number;
  cost: Decimal;
  currency: string;
  quantity: Decimal;
  inputTokens: bigint;
  outputTokens: bigint;
  type: string;
  agentKey: string;
  departmentCode: string | null;
  customerKey: string | null;
  billingAccount: string;
  billingPeriod: string;
  properties: Record<string, string>;
};

export type MapResult = { kind: "charge"; charge: FocusCharge } | { kind: "skipped" } | { kind: "error"; error: string };

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
}

/** The AI row filter, compiled once per import. */
export function compileFilter(filter: FocusSettings["filter"]): (record: FocusRecord) => boolean {
  if (filter.all) return () => true;
  const categories = new Set(filter.categories.map((c) => c.toLowerCase()));
  const services = filter.services.map(wildcard);
  return (record) => {
    const category = cell(record, "ServiceCategory");
    if (category && categories.has(category.toLowerCase())) return true;
    const service = cell(record, "ServiceName");
    return !!service && services.some((s) => s.test(service));
  };
}

const TOKEN_UNIT = /^(?:(\d+)\s*([KkMm])?\s+)?(input|output)?[\s-]*tokens?$/i;

/** ConsumedQuantity in tokens when ConsumedUnit says tokens ("Tokens", "1K tokens", "1M Output Tokens"), else null. */
function tokensOf(quantity: Decimal | null, unit: string | null, description: string): { input: bigint; output: bigint } | null {
  if (!quantity || !unit) return null;
  const m = TOKEN_UNIT.exec(unit.trim());
  if (!m) return null;
  const scale = new Decimal(m[1] ?? 1).times(m[2]?.toLowerCase() === "k" ? 1_000 : m[2]?.toLowerCase() === "m" ? 1_000_000 : 1);
  const tokens = BigInt(quantity.times(scale).toDecimalPlaces(0).toFixed(0));
  const output = (m[3] ?? "").toLowerCase() === "output" || /output/i.test(description);
  return output ? { input: 0n, output: tokens } : { input: tokens, output: 0n };
}

/** Keys and names are stored as text; a very long ResourceId keeps a readable head and a hash tail. */
function boundedKey(value: string): string {
  if (value.length <= 200) return value;
  return `${value.slice(0, 180)}…${createHash("sha256").update(value).digest("base64url").slice(0, 16)}`;
}

function lookup(record: FocusRecord, tags: Record<string, string>, rule: { sources: string[]; values?: Record<string, string> }): string | null {
  for (const source of rule.sources) {
    const value = sourceValue(record, tags, source);
    if (value !== null) return boundedKey(rule.values?.[value] ?? value);
  }
  return null;
}

/** The rule sources a row's identity includes (their values decide the agent, department and customer). */
export function mappingSources(settings: FocusSettings): string[] {
  return [...new Set([...settings.agent.sources, ...settings.department.sources, ...settings.customer.sources])];
}

export function mapRecord(record: FocusRecord, settings: FocusSettings, isAi: (r: FocusRecord) => boolean, sources: string[]): MapResult {
  if (!isAi(record)) return { kind: "skipped" };
  try {
    const startText = cell(record, "ChargePeriodStart");
    if (!startText) return { kind: "error", error: "ChargePeriodStart: required" };
    const start = parseDateTime(startText);
    if (start === null) return { kind: "error", error: `ChargePeriodStart: '${startText.slice(0, 40)}' is not a date-time` };
    const endText = cell(record, "ChargePeriodEnd");
    const end = endText === null ? start : parseDateTime(endText);
    if (end === null) return { kind: "error", error: `ChargePeriodEnd: '${endText!.slice(0, 40)}' is not a date-time` };
    if (end < start) return { kind: "error", error: "ChargePeriodEnd: before ChargePeriodStart" };
    const cost = decimalCell(record, settings.costColumn) ?? new Decimal(0);
    if (cost.abs().gte("1e10")) return { kind: "error", error: `${settings.costColumn}: out of range (|cost| < 10^10)` };
    const currency = (cell(record, "BillingCurrency") ?? "").toUpperCase();
    if (!isActiveCurrency(currency)) return { kind: "error", error: `BillingCurrency: '${currency.slice(0, 8)}' is not an active ISO 4217 currency code` };
    const consumed = decimalCell(record, "ConsumedQuantity");
    const unit = cell(record, "ConsumedUnit");
    const tags = parseTags(cell(record, "Tags"));
    // A charge with none of the agent sources (e.g. a commitment purchase has no ServiceName) is attributed to its
    // provider, so no cost is dropped.
    const agentKey = lookup(record, tags, settings.agent) ?? boundedKey(cell(record, "ServiceProviderName") ?? cell(record, "InvoiceIssuerName") ?? "cloud-bill");
    const category = cell(record, "ChargeCategory") ?? "Usage";
    const chargeClass = cell(record, "ChargeClass");
    const description = cell(record, "ChargeDescription") ?? "";
    const tokens = tokensOf(consumed, unit, `${description} ${cell(record, "SkuPriceId") ?? ""}`);
    const identityValues = [...IDENTITY_COLUMNS.map((c) => identityValue(record, c)), ...sources.map((s) => sourceValue(record, tags, s))];
    const billingAccount = cell(record, "BillingAccountId") ?? "";
    const billingPeriodText = cell(record, "BillingPeriodStart");
    const billingPeriodMs = billingPeriodText === null ? null : parseDateTime(billingPeriodText);
    const properties: Record<string, string> = { source_format: "focus", charge_category: category };
    const put = (name: string, value: string | null) => {
      if (value !== null) properties[name] = value.slice(0, 500);
    };
    put("charge_class", chargeClass);
    put("provider", cell(record, "ServiceProviderName"));
    put("host_provider", cell(record, "HostProviderName"));
    put("service_name", cell(record, "ServiceName"));
    put("service_category", cell(record, "ServiceCategory"));
    put("billing_account", billingAccount || null);
    put("billing_period", billingPeriodMs === null ? null : new Date(billingPeriodMs).toISOString().slice(0, 10));
    put("sub_account", cell(record, "SubAccountId"));
    put("resource_id", cell(record, "ResourceId"));
    put("sku_id", cell(record, "SkuId"));
    put("region", cell(record, "RegionId"));
    put("consumed_unit", unit);
    return {
      kind: "charge",
      charge: {
        identity: createHash("sha256").update(JSON.stringify(identityValues)).digest("base64url").slice(0, 22),
        start,
        end,
        cost,
        currency,
        quantity: consumed ?? new Decimal(0),
        inputTokens: tokens?.input ?? 0n,
        outputTokens: tokens?.output ?? 0n,
        type: `cloud.${category.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`,
        agentKey,
        departmentCode: lookup(record, tags, settings.department),
        customerKey: lookup(record, tags, settings.customer),
        billingAccount,
        billingPeriod: billingPeriodMs === null ? "" : new Date(billingPeriodMs).toISOString().slice(0, 10),
        properties,
      },
    };
  } catch (error) {
    if (error instanceof FocusCellError) return { kind: "error", error: error.message };
    throw error;
  }
}

/** The local days [start, end) touches in `timeZone`, each with the instant its share is stamped at. */
export function spreadDays(start: number, end: number, timeZone: string): { day: string; at: number }[] {
  const first = localDay(start, timeZone);
  const last = end > start ? localDay(end - 1, timeZone) : first;
  const days = [{ day: first, at: start }];
  for (let day = addDaysTo(first, 1); day <= last; day = addDaysTo(day, 1)) {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    days.push({ day, at: new TZDate(y, m - 1, d, timeZone).getTime() });
    if (days.length > MAX_SPREAD_DAYS) break;
  }
  return days;
}

/** `amount` split into `n` parts of `decimals` places that sum to it exactly; earlier parts take the remainder units. */
export function splitEvenly(amount: Decimal, n: number, decimals: number): Decimal[] {
  const units = BigInt(amount.times(new Decimal(10).pow(decimals)).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0));
  const sign = units < 0n ? -1n : 1n;
  const abs = units * sign;
  const base = abs / BigInt(n);
  const rest = abs % BigInt(n);
  const scale = new Decimal(10).pow(-decimals);
  return Array.from({ length: n }, (_, i) => new Decimal(((base + (BigInt(i) < rest ? 1n : 0n)) * sign).toString()).times(scale));
}

function splitTokens(total: bigint, n: number): bigint[] {
  return Array.from({ length: n }, (_, i) => total / BigInt(n) + (BigInt(i) < total % BigInt(n) ? 1n : 0n));
}

export type ExpandContext = { timeZone: string; currency: string; departments: Map<string, number>; fx: FxLookup };

/**
 * The charge's events under `key` (identity.ordinal, plus .d<i> per day when the period spans several days).
 * Costs keep their sign: credits, refunds and corrections are negative, which only this import path allows.
 */
export function expandCharge(charge: FocusCharge, key: string, ctx: ExpandContext): { rows: EventRow[] } | { error: string } {
  const days = spreadDays(charge.start, charge.end, ctx.timeZone);
  if (days.length > MAX_SPREAD_DAYS) return { error: `ChargePeriodEnd: the charge period spans more than ${MAX_SPREAD_DAYS} days` };
  const n = days.length;
  const costs = splitEvenly(charge.cost, n, 10);
  const quantities = splitEvenly(charge.quantity, n, 6);
  const inputs = splitTokens(charge.inputTokens, n);
  const outputs = splitTokens(charge.outputTokens, n);
  const departmentId = charge.departmentCode === null ? null : (ctx.departments.get(charge.departmentCode) ?? null);
  const properties = { ...charge.properties, ...(charge.departmentCode !== null && departmentId === null ? { unknown_department: charge.departmentCode } : {}) };
  const json = JSON.stringify(properties);
  const rows: EventRow[] = [];
  for (let i = 0; i < n; i++) {
    const amount = costs[i]!.toFixed(10);
    let cost = amount;
    let fx: Pick<EventRow, "originalCost" | "originalCurrency" | "fxRate" | "fxRateDate" | "fxPending"> = {};
    if (charge.currency !== ctx.currency) {
      const rate = ctx.fx.rate(charge.currency, days[i]!.day);
      const converted = rate ? convertedCost(amount, rate) : "0";
      if (converted === null) return { error: `${charge.currency} ${amount}: out of range once converted to ${ctx.currency}` };
      cost = converted;
      fx = { originalCost: amount, originalCurrency: charge.currency, fxRate: rate?.rate.toFixed() ?? null, fxRateDate: rate?.date ?? null, fxPending: !rate };
    }
    rows.push({
      key: n === 1 ? key : `${key}.d${i}`,
      timestamp: new Date(days[i]!.at).toISOString(),
      type: charge.type,
      agentKey: charge.agentKey,
      departmentId,
      customerKey: charge.customerKey,
      quantity: quantities[i]!.toFixed(6),
      reportedCost: cost,
      computedCost: null,
      computedPriceId: null,
      cost,
      priceRule: null,
      unpriced: false,
      serviceTier: null,
      model: null,
      inputTokens: Number(inputs[i]!),
      outputTokens: Number(outputs[i]!),
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      reasoningTokens: 0,
      taskType: null,
      handledBy: null,
      taskStatus: null,
      durationSeconds: null,
      properties: json,
      ...fx,
    });
  }
  return { rows };
}
