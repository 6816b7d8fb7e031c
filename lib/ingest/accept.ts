// Fast acceptor for the ingestion hot path: the same rules as EventSchema, written out by hand, because zod's
// generic parser cost ~35 µs per event (more than the database insert). It only ever says "valid" or "ask zod":
// an event it refuses is parsed again by the schema, which names the problems, so there is one source of error
// messages. accept.test.ts checks on generated inputs that it accepts exactly what the schema accepts.
import { CURRENCY_CODE, MAX_PROPERTIES, parseTimestamp, toDecimalText, wellFormed, type IngestEvent } from "./schemas";

const EVENT_KEYS = new Set(["id", "timestamp", "agent", "type", "quantity", "department", "customer", "cost", "model", "tokens", "service_tier", "task", "properties"]);
const SERVICE_TIERS = new Set(["default", "batch", "flex", "priority"]);
const TOKEN_KEYS = new Set(["input", "output", "cache_read", "cache_creation", "reasoning"]);
const TASK_KEYS = new Set(["type", "handled_by", "status", "duration_seconds"]);
const COST_KEYS = new Set(["amount", "currency"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: Set<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return !Object.hasOwn(value, "__proto__");
}

function text(value: unknown, max: number): boolean {
  return typeof value === "string" && value.length >= 1 && value.length <= max && wellFormed(value);
}

function optionalText(value: unknown, max: number): boolean {
  return value === undefined || text(value, max);
}

function amount(value: unknown, intDigits: number, fracDigits: number): boolean {
  return (typeof value === "string" || typeof value === "number") && toDecimalText(value, intDigits, fracDigits).ok;
}

function tokenCount(value: unknown): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);
}

function cost(value: unknown): boolean {
  if (!isRecord(value) || !onlyKeys(value, COST_KEYS)) return false;
  return amount(value.amount, 10, 10) && typeof value.currency === "string" && CURRENCY_CODE.test(value.currency);
}

function tokens(value: unknown): boolean {
  if (!isRecord(value) || !onlyKeys(value, TOKEN_KEYS)) return false;
  return tokenCount(value.input) && tokenCount(value.output) && tokenCount(value.cache_read) && tokenCount(value.cache_creation) && tokenCount(value.reasoning);
}

function task(value: unknown): boolean {
  if (!isRecord(value) || !onlyKeys(value, TASK_KEYS) || !text(value.type, 128)) return false;
  const { handled_by: handledBy, status, duration_seconds: duration } = value;
  return (
    (handledBy === undefined || handledBy === "agent" || handledBy === "human") &&
    (status === undefined || status === "completed" || status === "escalated" || status === "failed") &&
    (duration === undefined || (typeof duration === "number" && duration >= 0 && duration <= 1e10))
  );
}

function properties(value: unknown): boolean {
  if (!isRecord(value) || Object.hasOwn(value, "__proto__")) return false;
  let count = 0;
  for (const key in value) {
    if (++count > MAX_PROPERTIES || key.length > 128 || !wellFormed(key) || key.length === 0) return false;
    const v = value[key];
    if (typeof v === "string") {
      if (v.length > 1024 || !wellFormed(v)) return false;
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return false;
    } else if (typeof v !== "boolean") return false;
  }
  return true;
}

/** The event itself when it satisfies the contract, else null (then EventSchema reports why). */
export function acceptEvent(input: unknown): IngestEvent | null {
  if (!isRecord(input) || !onlyKeys(input, EVENT_KEYS)) return null;
  const e = input;
  const valid =
    text(e.id, 128) &&
    typeof e.timestamp === "string" &&
    parseTimestamp(e.timestamp) !== null &&
    text(e.agent, 128) &&
    text(e.type, 128) &&
    (e.quantity === undefined || amount(e.quantity, 14, 6)) &&
    optionalText(e.department, 128) &&
    optionalText(e.customer, 128) &&
    (e.cost === undefined || cost(e.cost)) &&
    optionalText(e.model, 128) &&
    (e.tokens === undefined || tokens(e.tokens)) &&
    (e.service_tier === undefined || (typeof e.service_tier === "string" && SERVICE_TIERS.has(e.service_tier))) &&
    (e.task === undefined || task(e.task)) &&
    (e.properties === undefined || properties(e.properties));
  return valid ? (e as IngestEvent) : null;
}
