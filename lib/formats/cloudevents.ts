// CloudEvents 1.0 (HTTP protocol binding: structured, batched and binary modes) → the JSON event contract.
// Mapping: id → id, time → timestamp, type → type, subject → agent (unless data.agent), data → the remaining
// event fields, extension attributes → properties, source → properties.ce_source. Validation stays in lib/ingest.
import { emptyBatch, type MappedBatch } from "./mapped";

export const STRUCTURED_TYPE = "application/cloudevents+json";
export const BATCH_TYPE = "application/cloudevents-batch+json";

/** Context attributes with a meaning of their own; every other attribute is an extension. */
const CONTEXT_ATTRIBUTES = new Set(["specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema", "data", "data_base64"]);
/** Event fields that come from context attributes, so `data` may not set them. */
const ENVELOPE_FIELDS = ["id", "timestamp", "type"] as const;

type Attributes = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isJsonContentType(value: unknown): boolean {
  if (value === undefined) return true; // the spec's default for structured mode is JSON
  return typeof value === "string" && /^application\/([\w.+-]*\+)?json\b/i.test(value.trim());
}

/** One CloudEvent (its attributes and already-decoded data) → an event, or the reasons it cannot be one. */
export function cloudEventToEvent(ce: Attributes): { ok: true; event: Record<string, unknown> } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (ce.specversion !== "1.0") errors.push(`specversion: must be "1.0"`);
  for (const name of ["id", "source", "type"] as const) {
    if (typeof ce[name] !== "string" || ce[name] === "") errors.push(`${name}: required (CloudEvents context attribute)`);
  }
  if (typeof ce.time !== "string") errors.push("time: required (it becomes the event timestamp)");
  if (ce.data_base64 !== undefined || !isJsonContentType(ce.datacontenttype)) {
    errors.push("data: must be JSON (datacontenttype application/json)");
  }
  const data = ce.data ?? {};
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
  const properties = isObject(fields.properties) ? { ...extensions, ...fields.properties } : fields.properties ?? extensions;
  const event: Record<string, unknown> = {
    ...fields,
    id: ce.id,
    timestamp: ce.time,
    type: ce.type,
    agent: fields.agent ?? ce.subject,
    properties,
  };
  if (event.agent === undefined) delete event.agent; // validation then reports "agent: required"
  return { ok: true, event };
}

function mapAll(items: unknown[]): MappedBatch {
  const batch = emptyBatch();
  items.forEach((item, index) => {
    if (!isObject(item)) {
      batch.rejected.push({ index, id: null, errors: ["(event): must be a CloudEvent JSON object"] });
      return;
    }
    const result = cloudEventToEvent(item);
    if (result.ok) {
      batch.events.push(result.event);
      batch.origin.push(index);
    } else {
      batch.rejected.push({ index, id: typeof item.id === "string" ? item.id.slice(0, 128) : null, errors: result.errors });
    }
  });
  return batch;
}

/** Structured mode: the body is one CloudEvent. */
export function fromStructured(body: unknown): MappedBatch {
  return mapAll([body]);
}

/** Batched mode: the body is a JSON array of CloudEvents. */
export function fromBatch(body: unknown[]): MappedBatch {
  return mapAll(body);
}

/**
 * Binary mode: context attributes travel as `ce-*` headers (values percent-encoded), the body is the data and
 * Content-Type is its datacontenttype.
 */
export function fromBinary(headers: Headers, data: unknown, contentType: string | null): MappedBatch {
  const ce: Attributes = { data };
  if (contentType) ce.datacontenttype = contentType;
  headers.forEach((value, name) => {
    if (!name.startsWith("ce-")) return;
    try {
      ce[name.slice(3)] = decodeURIComponent(value);
    } catch {
      ce[name.slice(3)] = value;
    }
  });
  return mapAll([ce]);
}

export function isBinaryMode(headers: Headers): boolean {
  return headers.has("ce-specversion");
}
