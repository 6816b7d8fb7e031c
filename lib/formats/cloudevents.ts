// CloudEvents 1.0 (HTTP protocol binding: structured, batched and binary modes) → the JSON event contract.
// Mapping: source + id → id (the spec's identity), time → timestamp (time of receipt when absent), type → type,
// subject → agent (unless data.agent), data (or data_base64 carrying JSON) → the remaining event fields, extension
// attributes → properties, source → properties.ce_source. Validation stays in lib/ingest.
import { createHash } from "node:crypto";
import { MAX_EVENT_ID_LENGTH } from "@/lib/ingest/schemas";
import { emptyBatch, type MappedBatch } from "./mapped";

export const STRUCTURED_TYPE = "application/cloudevents+json";
export const BATCH_TYPE = "application/cloudevents-batch+json";

/** Context attributes with a meaning of their own; every other attribute is an extension. */
const CONTEXT_ATTRIBUTES = new Set(["specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema", "data", "data_base64"]);
/** Event fields that come from context attributes, so `data` may not set them. */
const ENVELOPE_FIELDS = ["id", "timestamp", "type"] as const;

type Attributes = Record<string, unknown>;

/** Each mapped event's CloudEvents identity, parallel to `events`: the legacy-key lookup needs it (cloudevents-legacy.ts). */
export type CloudEventBatch = MappedBatch & { identities: { source: string; id: string }[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isJsonContentType(value: unknown): boolean {
  if (value === undefined) return true; // the spec's default for structured mode is JSON
  return typeof value === "string" && /^application\/([\w.+-]*\+)?json\b/i.test(value.trim());
}

/**
 * The event's idempotency key: the spec's identity, source + id. A source is a URI-reference (no spaces), so
 * "<source> <id>" is unambiguous; past the key's length limit it is a SHA-256 of the same text.
 */
export function cloudEventKey(source: string, id: string): string {
  const key = `${source} ${id}`;
  return key.length <= MAX_EVENT_ID_LENGTH ? key : `ce-sha256:${createHash("sha256").update(key).digest("hex")}`;
}

/** `data_base64` decoded as UTF-8 JSON, or why it cannot be. */
function decodeBase64Json(value: unknown): { ok: true; data: unknown } | { ok: false; error: string } {
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    return { ok: false, error: "data_base64: must be base64 (RFC 4648)" };
  }
  try {
    return { ok: true, data: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(value, "base64"))) };
  } catch {
    return { ok: false, error: "data_base64: must carry UTF-8 JSON (only JSON data is accepted)" };
  }
}

/** One CloudEvent (its attributes and already-decoded data) → an event, or the reasons it cannot be one. */
export function cloudEventToEvent(attributes: Attributes, receivedAt = new Date()): { ok: true; event: Record<string, unknown> } | { ok: false; errors: string[] } {
  // The spec: an attribute whose value is null is unset.
  const ce = Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null && value !== undefined));
  const errors: string[] = [];
  if (ce.specversion !== "1.0") errors.push(`specversion: must be "1.0"`);
  for (const name of ["id", "source", "type"] as const) {
    if (typeof ce[name] !== "string" || ce[name] === "") errors.push(`${name}: required (CloudEvents context attribute)`);
  }
  if (typeof ce.source === "string" && /\s/.test(ce.source)) errors.push("source: must be a URI-reference (no whitespace)");
  if (ce.time !== undefined && typeof ce.time !== "string") errors.push("time: must be an RFC 3339 timestamp string");
  if (!isJsonContentType(ce.datacontenttype)) errors.push("datacontenttype: must be JSON (application/json or +json); other data is not accepted");
  let data: unknown = ce.data ?? {};
  if (ce.data_base64 !== undefined) {
    if (ce.data !== undefined) errors.push("data_base64: not allowed together with data");
    const decoded = decodeBase64Json(ce.data_base64);
    if (decoded.ok) data = decoded.data;
    else errors.push(decoded.error);
  }
  if (!isObject(data)) errors.push("data: must be a JSON object with the event fields");
  else {
    for (const field of ENVELOPE_FIELDS) {
      if (field in data) errors.push(`data.${field}: not allowed, set the CloudEvents attribute instead`);
    }
  }
  if (errors.length) return { ok: false, errors };

  const fields = data as Record<string, unknown>;
  const extensions: Record<string, unknown> = { ce_source: ce.source };
  for (const [name, value] of Object.entries(ce)) {
    if (!CONTEXT_ATTRIBUTES.has(name)) extensions[name] = value;
  }
  // `time` is optional in the spec: the time of receipt stands in, flagged so it can be told apart.
  if (ce.time === undefined) extensions.ce_time_missing = true;
  const properties = isObject(fields.properties) ? { ...extensions, ...fields.properties } : fields.properties ?? extensions;
  const event: Record<string, unknown> = {
    ...fields,
    id: cloudEventKey(ce.source as string, ce.id as string),
    timestamp: ce.time ?? receivedAt.toISOString(),
    type: ce.type,
    agent: fields.agent ?? ce.subject,
    properties,
  };
  if (event.agent === undefined) delete event.agent; // validation then reports "agent: required"
  return { ok: true, event };
}

function mapAll(items: unknown[], receivedAt: Date): CloudEventBatch {
  const batch: CloudEventBatch = { ...emptyBatch(), identities: [] };
  items.forEach((item, index) => {
    if (!isObject(item)) {
      batch.rejected.push({ index, id: null, errors: ["(event): must be a CloudEvent JSON object"] });
      return;
    }
    const result = cloudEventToEvent(item, receivedAt);
    if (result.ok) {
      batch.events.push(result.event);
      batch.origin.push(index);
      batch.identities.push({ source: item.source as string, id: item.id as string });
    } else {
      batch.rejected.push({ index, id: typeof item.id === "string" ? item.id.slice(0, 128) : null, errors: result.errors });
    }
  });
  return batch;
}

/** Structured mode: the body is one CloudEvent. */
export function fromStructured(body: unknown, receivedAt = new Date()): CloudEventBatch {
  return mapAll([body], receivedAt);
}

/** Batched mode: the body is a JSON array of CloudEvents. */
export function fromBatch(body: unknown[], receivedAt = new Date()): CloudEventBatch {
  return mapAll(body, receivedAt);
}

/** An RFC 7230 quoted-string unquoted (`"a\"b"` → `a"b`); other values as they are. */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
}

/**
 * Binary mode: context attributes travel as `ce-*` headers, the body is the data (absent when empty) and
 * Content-Type is its datacontenttype. Header values are unquoted, then percent-decoded once; a value that does not
 * decode to UTF-8 rejects the event (HTTP binding 3.1.3.2).
 */
export function fromBinary(headers: Headers, data: unknown, contentType: string | null, receivedAt = new Date()): CloudEventBatch {
  const ce: Attributes = { data };
  if (contentType) ce.datacontenttype = contentType;
  const errors: string[] = [];
  headers.forEach((value, name) => {
    if (!name.startsWith("ce-")) return;
    try {
      ce[name.slice(3)] = decodeURIComponent(unquote(value.trim()));
    } catch {
      errors.push(`${name}: not valid percent-encoded UTF-8`);
    }
  });
  if (!errors.length) return mapAll([ce], receivedAt);
  return { ...emptyBatch(), identities: [], rejected: [{ index: 0, id: typeof ce.id === "string" ? ce.id.slice(0, 128) : null, errors }] };
}

export function isBinaryMode(headers: Headers): boolean {
  return headers.has("ce-specversion");
}
