// POST /api/v1/events contract: strict zod schemas (also the source of the OpenAPI document).
// Checks that need context (organization currency, clock, departments) live in validate.ts.
import { z } from "zod";
import { toDecimalText } from "@/lib/decimal-input";

export { toDecimalText };

export const MAX_EVENTS_PER_BATCH = 10_000;
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
export const MAX_PROPERTIES = 50;
export const MAX_EVENT_ID_LENGTH = 128;

/** Strings PostgreSQL can store as text and jsonb: no NUL, no lone UTF-16 surrogates. */
function text(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine(wellFormed, "must not contain NUL or unpaired surrogate characters");
}

/** Storable as PostgreSQL text and jsonb: no NUL, no lone UTF-16 surrogates. */
export function wellFormed(s: string): boolean {
  return s.isWellFormed() && !s.includes("\u0000");
}

/** ISO 4217 currency code shape. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/** RFC 3339 date-time with a required offset (Z or ±hh:mm). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch, or null when not a real RFC 3339 instant (e.g. Feb 30, hour 24, no offset). */
export function parseTimestamp(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  if (year < 1970 || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const millis = m[7] ? Number(m[7].slice(1, 4).padEnd(3, "0")) : 0; // the column keeps milliseconds
  const sign = m[8]?.startsWith("-") ? -1 : 1;
  return local + millis - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function decimal(intDigits: number, fracDigits: number, description: string, example: string | number) {
  return z
    .union([z.string(), z.number()])
    .superRefine((value, ctx) => {
      const result = toDecimalText(value, intDigits, fracDigits);
      if (!result.ok) ctx.addIssue({ code: "custom", message: result.error });
    })
    .meta({ description, example });
}

const tokenCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const TokensSchema = z
  .strictObject({
    input: tokenCount.optional().meta({ description: "Uncached input tokens." }),
    output: tokenCount.optional().meta({ description: "Output tokens, excluding reasoning tokens." }),
    cache_read: tokenCount.optional(),
    cache_creation: tokenCount.optional(),
    reasoning: tokenCount.optional(),
  })
  .meta({ id: "Tokens", description: "Disjoint token classes (OpenTelemetry GenAI usage)." });

export const CostSchema = z
  .strictObject({
    amount: decimal(10, 10, "Decimal string (exact) or number, ≥ 0, at most 10 decimal places.", "0.0123"),
    currency: z.string().regex(CURRENCY_CODE, "must be an ISO 4217 code such as USD").meta({ description: "Any active ISO 4217 code; another than the organization's is converted at the event's day (lib/currency), or awaits a rate." }),
  })
  .meta({ id: "Cost" });

export const TaskSchema = z
  .strictObject({
    type: text(1, 128).meta({ example: "case_resolution" }),
    handled_by: z.enum(["agent", "human"]).optional(),
    status: z.enum(["completed", "escalated", "failed"]).optional(),
    duration_seconds: z.number().min(0).max(1e10).optional().meta({ description: "Rounded to milliseconds." }),
  })
  .meta({ id: "Task" });

// One pass over the object instead of per-value refinements: properties are on the hot path.
export const PropertiesSchema = z
  .preprocess((value, ctx) => {
    // JSON.parse keeps a "__proto__" key, but copying the object would silently drop it.
    if (value && typeof value === "object" && Object.hasOwn(value, "__proto__")) {
      ctx.addIssue({ code: "custom", path: ["__proto__"], message: "reserved key", input: value });
    }
    return value;
  }, z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: "must be a string, number or boolean" })))
  .superRefine((props, ctx) => {
    const keys = Object.keys(props);
    if (keys.length > MAX_PROPERTIES) ctx.addIssue({ code: "custom", message: `at most ${MAX_PROPERTIES} keys` });
    for (const key of keys) {
      const value = props[key];
      if (!key || key.length > 128 || !wellFormed(key)) ctx.addIssue({ code: "custom", path: [key], message: "keys must be 1-128 characters without NUL or unpaired surrogates" });
      else if (typeof value === "string" && (value.length > 1024 || !wellFormed(value))) ctx.addIssue({ code: "custom", path: [key], message: "strings must be at most 1024 characters without NUL or unpaired surrogates" });
      else if (typeof value === "number" && !Number.isFinite(value)) ctx.addIssue({ code: "custom", path: [key], message: "must be finite" });
    }
  })
  .meta({ id: "Properties", description: `Flat object of string (≤ 1024 chars), number or boolean values; at most ${MAX_PROPERTIES} keys.` });

export const EventSchema = z
  .strictObject({
    id: text(1, MAX_EVENT_ID_LENGTH).meta({ description: "Idempotency key, unique per API key source." }),
    timestamp: z.string().refine((s) => parseTimestamp(s) !== null, "must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T12:00:00Z").meta({ format: "date-time" }),
    agent: text(1, 128).meta({ description: "Agent key; an unknown key creates the agent." }),
    type: text(1, 128).meta({ example: "llm.call" }),
    quantity: decimal(14, 6, "Number or decimal string, ≥ 0, at most 6 decimal places; default 1.", 1).optional(),
    department: text(1, 128).optional().meta({ description: "Cost-center code; default: the agent's department." }),
    customer: text(1, 128).optional().meta({ description: "Billable account key; an unknown key creates the customer." }),
    cost: CostSchema.optional(),
    model: text(1, 128).optional(),
    tokens: TokensSchema.optional(),
    service_tier: z
      .enum(["default", "batch", "flex", "priority"])
      .optional()
      .meta({ description: "Provider service tier the call ran on; prices batch/flex/priority usage at that tier's price. Absent = default." }),
    task: TaskSchema.optional(),
    properties: PropertiesSchema.optional(),
  })
  .meta({ id: "Event" });

export type IngestEvent = z.infer<typeof EventSchema>;

/** Envelope as parsed: events stay unknown so each one is validated (and rejected) on its own. */
export const EnvelopeSchema = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** Envelope as documented. */
export const IngestRequestSchema = z
  .strictObject({ events: z.array(EventSchema).min(1).max(MAX_EVENTS_PER_BATCH) })
  .meta({ id: "IngestRequest" });

export const RejectedEventSchema = z
  .strictObject({
    index: z.number().int().min(0),
    id: z.string().nullable().meta({ description: "The event's id when it was a string, else null." }),
    errors: z.array(z.string()).min(1).meta({ example: ["timestamp: must be an RFC 3339 date-time with an offset"] }),
  })
  .meta({ id: "RejectedEvent" });

export const IngestResponseSchema = z
  .strictObject({
    accepted: z.number().int().min(0).meta({ description: "Events stored by this request." }),
    duplicates: z.number().int().min(0).meta({ description: "Valid events already stored earlier or repeated in this batch." }),
    rejected: z.array(RejectedEventSchema),
  })
  .meta({ id: "IngestResponse" });

export type IngestResponse = z.infer<typeof IngestResponseSchema>;
