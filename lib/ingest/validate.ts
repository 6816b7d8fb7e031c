// Per-event validation: the contract first (a fast acceptor, with the zod schema naming the errors), then checks
// that need context (currency, clock, departments), then the row as stored, with its cost. Pure: lookups are
// passed in, so this is tested without a database.
import type { z } from "zod";
import { convertedCost, foreignCost, localDay, type FxLookup } from "@/lib/currency/event-cost";
import { isActiveCurrency } from "@/lib/currency/iso4217";
import type { PriceBook } from "@/lib/pricing/match";
import { acceptEvent } from "./accept";
import { policyErrors, type CompiledPolicy, type PolicyLookups } from "./policy";
import { EventSchema, parseTimestamp, toDecimalText, type IngestEvent } from "./schemas";

export type Rejection = { index: number; id: string | null; errors: string[] };

export type IngestContext = {
  currency: string;
  now: number;
  maxClockSkewSeconds: number;
  /** Department code → id, for the codes this batch mentions. */
  departments: Map<string, number>;
  /** The organization's compiled price rules (lib/pricing/book.ts). */
  prices: PriceBook;
  /** Rates for costs sent in another currency (lib/currency/lookup.ts loadFxLookup for the batch's fxNeeds). */
  fx: FxLookup;
  /** The API key's bindings and limits with what they need loaded; absent = unrestricted. */
  policy?: { compiled: CompiledPolicy; lookups: PolicyLookups };
};

/** A usage_events row before agent/customer keys are resolved to ids (the writer does that in SQL). */
export type EventRow = {
  key: string;
  timestamp: string;
  type: string;
  agentKey: string;
  departmentId: number | null;
  customerKey: string | null;
  quantity: string;
  reportedCost: string | null;
  computedCost: string | null;
  computedPriceId: number | null;
  cost: string;
  /** Which rule priced it (null when reported or unpriced). */
  priceRule: string | null;
  /** Tokens without a reported cost or a price: cost unknown, stored as 0 and flagged. */
  unpriced: boolean;
  serviceTier: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  reasoningTokens: number;
  taskType: string | null;
  handledBy: string | null;
  taskStatus: string | null;
  durationSeconds: string | null;
  properties: string;
  /** A cost sent in another currency: as sent, the rate used and its date (null while pending), pending or not. */
  originalCost?: string | null;
  originalCurrency?: string | null;
  fxRate?: string | null;
  fxRateDate?: string | null;
  fxPending?: boolean;
  /** Set only on rows written by lib/corrections: the corrected event's id and "reversal" | "correction". */
  correctsEventId?: string | null;
  correctionKind?: "reversal" | "correction" | null;
};

function formatIssue(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String).join(".");
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => `${at(key)}: unknown field`);
  if (issue.code === "invalid_type" && issue.input === undefined) return [`${path}: required`];
  return [`${path || "(event)"}: ${issue.message}`];
}

/**
 * The event as the contract reads it, or its errors as "field: reason" strings. Valid events take the fast
 * acceptor; only an event it refuses goes through zod, which names every problem (`input` is reported so a
 * missing field reads "required"). accept.test.ts checks both agree on every input.
 */
export function parseEvent(input: unknown): { ok: true; event: IngestEvent } | { ok: false; errors: string[] } {
  const accepted = acceptEvent(input);
  if (accepted) return { ok: true, event: accepted };
  const result = EventSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, errors: result.error.issues.flatMap(formatIssue) };
}

/** Context checks and the stored row; returns errors instead when the event cannot be stored. */
export function toRow(event: IngestEvent, ctx: IngestContext): { ok: true; row: EventRow } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const at = parseTimestamp(event.timestamp)!; // the schema has checked it
  if (at > ctx.now + ctx.maxClockSkewSeconds * 1000) {
    errors.push(`timestamp: more than ${ctx.maxClockSkewSeconds} s in the future`);
  }
  let departmentId: number | null = null;
  if (event.department !== undefined) {
    departmentId = ctx.departments.get(event.department) ?? null;
    if (departmentId === null) errors.push(`department: unknown department code '${event.department}'`);
  }
  const foreign = event.cost && event.cost.currency !== ctx.currency ? event.cost.currency : null;
  if (foreign && !isActiveCurrency(foreign)) errors.push(`cost.currency: '${foreign}' is not an active ISO 4217 currency code`);
  let reportedCost = event.cost ? decimalText(event.cost.amount, 10, 10) : null;
  let fx: Pick<EventRow, "originalCost" | "originalCurrency" | "fxRate" | "fxRateDate" | "fxPending"> = {};
  if (foreign && reportedCost !== null && !errors.length) {
    // Converted at the event's day in the organization's time zone; no rate yet: 0 until one arrives, flagged.
    const rate = ctx.fx.rate(foreign, localDay(at, ctx.fx.timeZone));
    const converted = rate ? convertedCost(reportedCost, rate) : "0";
    if (converted === null) errors.push(`cost.amount: ${reportedCost} ${foreign} is more than 9999999999.9999999999 ${ctx.currency}`);
    fx = { originalCost: reportedCost, originalCurrency: foreign, fxRate: rate?.rate.toFixed() ?? null, fxRateDate: rate?.date ?? null, fxPending: !rate };
    reportedCost = converted;
  }
  if (errors.length) return { ok: false, errors };

  const tokens = event.tokens ?? {};
  let computedCost: string | null = null;
  let computedPriceId: number | null = null;
  let priceRule: string | null = null;
  let unpriced = false;
  const hasTokens = !!(tokens.input || tokens.output || tokens.cache_read || tokens.cache_creation || tokens.reasoning);
  if (!event.cost && hasTokens) {
    // A price list in another currency, an unknown model or a tier without a price: the cost is unknown, and the
    // event says so (unpriced) instead of counting as free.
    const priced = event.model
      ? ctx.prices.price(event.model, at, event.service_tier ?? null, {
          inputTokens: tokens.input,
          outputTokens: tokens.output,
          cacheReadTokens: tokens.cache_read,
          cacheCreationTokens: tokens.cache_creation,
          reasoningTokens: tokens.reasoning,
          ...audioTokensOf(event.properties),
        }, promptTierOf(event.properties))
      : null;
    if (priced?.ok) {
      computedCost = priced.cost;
      computedPriceId = priced.priceId;
      priceRule = priced.rule.slice(0, 500);
      if (priced.currency !== ctx.currency) {
        // A price listed in another currency (a provider billing in EUR): converted like a reported cost.
        const converted = foreignCost(priced.cost, priced.currency, localDay(at, ctx.fx.timeZone), ctx.fx);
        if (!converted) return { ok: false, errors: [`tokens: the computed cost ${priced.cost} ${priced.currency} is more than 9999999999.9999999999 ${ctx.currency}`] };
        const { cost: convertedComputed, ...original } = converted;
        computedCost = convertedComputed;
        fx = original;
      }
    } else unpriced = true;
  }
  const cost = reportedCost ?? computedCost ?? "0";
  if (ctx.policy) {
    const denied = policyErrors(
      { agent: event.agent, customer: event.customer ?? null, departmentId, departmentCode: event.department ?? null, at, cost },
      ctx.policy.compiled,
      ctx.policy.lookups,
    );
    if (denied.length) return { ok: false, errors: denied };
  }
  const task = event.task;
  return {
    ok: true,
    row: {
      key: event.id,
      timestamp: new Date(at).toISOString(),
      type: event.type,
      agentKey: event.agent,
      departmentId,
      customerKey: event.customer ?? null,
      quantity: event.quantity === undefined ? "1" : decimalText(event.quantity, 14, 6),
      reportedCost,
      computedCost,
      computedPriceId,
      cost,
      priceRule,
      unpriced,
      serviceTier: event.service_tier ?? null,
      model: event.model ?? null,
      inputTokens: tokens.input ?? 0,
      outputTokens: tokens.output ?? 0,
      cacheReadTokens: tokens.cache_read ?? 0,
      cacheCreationTokens: tokens.cache_creation ?? 0,
      reasoningTokens: tokens.reasoning ?? 0,
      taskType: task?.type ?? null,
      handledBy: task?.handled_by ?? null,
      taskStatus: task?.status ?? null,
      durationSeconds: task?.duration_seconds === undefined ? null : (Math.round(task.duration_seconds * 1000) / 1000).toFixed(3),
      properties: event.properties ? JSON.stringify(event.properties) : "{}",
      ...fx,
    },
  };
}

/** Aggregated usage (connectors mark it `aggregate`) cannot be tiered by its summed prompt tokens: Anthropic's
 * report names the tier (`context_window`), anything else aggregated is priced below the thresholds. */
export function promptTierOf(properties: IngestEvent["properties"]): "base" | "long" | undefined {
  if (!properties) return undefined;
  const window = properties.context_window;
  if (typeof window === "string") return /^0-/.test(window) ? "base" : "long";
  return properties.aggregate === true ? "base" : undefined;
}

/** The audio part of the input / output tokens, billed at the row's audio prices: the properties OTLP spans'
 * gen_ai.usage.audio.* attributes are stored as (lib/formats/otlp.ts), non-negative integers. Read from the stored
 * event so that a re-price (lib/recompute, reprice) prices the same counts. */
export function audioTokensOf(properties: IngestEvent["properties"] | null): { audioInputTokens?: number; audioOutputTokens?: number } {
  const count = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
  return { audioInputTokens: count(properties?.usage_audio_input_tokens), audioOutputTokens: count(properties?.usage_audio_output_tokens) };
}

function decimalText(value: string | number, intDigits: number, fracDigits: number): string {
  const result = toDecimalText(value, intDigits, fracDigits);
  if (!result.ok) throw new Error(`unreachable: the schema accepted an invalid amount (${result.error})`);
  return result.value;
}

export type ValidatedBatch = { rows: EventRow[]; rejected: Rejection[]; duplicatesInBatch: number };

/**
 * Validates a batch: rejected events are reported by index; of several valid events with the same id
 * the first is kept and the others count as duplicates. Rows come back sorted by id so that concurrent
 * batches take unique-index locks in the same order (no deadlocks).
 */
export function validateBatch(parsed: ParsedBatch, ctx: IngestContext): ValidatedBatch {
  const rejected = [...parsed.rejected];
  const seen = new Set<string>();
  const rows: EventRow[] = [];
  let duplicatesInBatch = 0;
  for (const { index, event } of parsed.valid) {
    const result = toRow(event, ctx);
    if (!result.ok) rejected.push({ index, id: event.id, errors: result.errors });
    else if (seen.has(event.id)) duplicatesInBatch++;
    else {
      seen.add(event.id);
      rows.push(result.row);
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows, rejected, duplicatesInBatch };
}

export type ParsedBatch = { valid: { index: number; event: IngestEvent }[]; rejected: Rejection[] };

/** The (currency, day) conversions a batch's costs in other currencies need, for loadFxLookup. */
export function fxNeeds(valid: ParsedBatch["valid"], currency: string, timeZone: string, priceCurrencies: string[] = []): { currency: string; day: string }[] {
  const needs = new Map<string, { currency: string; day: string }>();
  const foreignPrices = priceCurrencies.filter((c) => c !== currency);
  for (const { event } of valid) {
    // An event priced from the model table may need any currency the table lists prices in.
    if (!event.cost && event.model && event.tokens && foreignPrices.length > 0) {
      const day = localDay(parseTimestamp(event.timestamp)!, timeZone);
      for (const c of foreignPrices) needs.set(`${c} ${day}`, { currency: c, day });
    }
    if (!event.cost || event.cost.currency === currency || !isActiveCurrency(event.cost.currency)) continue;
    const day = localDay(parseTimestamp(event.timestamp)!, timeZone);
    needs.set(`${event.cost.currency} ${day}`, { currency: event.cost.currency, day });
  }
  return [...needs.values()];
}

/** Schema check of every event; also returns what the context lookups need. */
export function parseBatch(events: unknown[]): ParsedBatch & { departmentCodes: string[] } {
  const valid: ParsedBatch["valid"] = [];
  const rejected: Rejection[] = [];
  const departmentCodes = new Set<string>();
  events.forEach((input, index) => {
    const result = parseEvent(input);
    if (result.ok) {
      valid.push({ index, event: result.event });
      if (result.event.department !== undefined) departmentCodes.add(result.event.department);
    } else {
      const id = (input as { id?: unknown } | null)?.id;
      rejected.push({ index, id: typeof id === "string" ? id.slice(0, 128) : null, errors: result.errors });
    }
  });
  return { valid, rejected, departmentCodes: [...departmentCodes] };
}
