// Agent traces counted once (docs/formats.md, "Agent traces"). Every OTLP span is stored when received; within a
// trace, usage counts once (leaves that carry usage; an ancestor's aggregate only while no usage-carrying
// descendant is known) and is attributed to the nearest invoke_agent ancestor. Spans arrive in any order and in
// any request: each request (one transaction, its traces locked) recomputes what its traces should count and
// corrects the difference through the ingest statement (a reversal linked to the counted event, and a corrected
// event under the right agent).
import "server-only";
import { loadOriginal, reversalOf } from "@/lib/corrections/corrections";
import { inTransaction, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { orgSettings } from "@/lib/org";
import { compilePolicy, type KeyPolicy } from "@/lib/ingest/policy";
import type { IngestResponse } from "@/lib/ingest/schemas";
import { loadFxLookup } from "@/lib/currency/lookup";
import { fxNeeds, parseBatch, validateBatch, type EventRow } from "@/lib/ingest/validate";
import { loadDepartments, loadPolicyLookups, writeEvents } from "@/lib/ingest/writer";
import { loadPriceBook } from "@/lib/pricing/book";
import { scheduleAlertEvaluation } from "@/lib/alerts/schedule";
import { ingestMapped } from "./ingest";
import type { SpanRecord } from "./otlp";

type Stored = {
  span_id: string;
  parent_span_id: string | null;
  operation: string | null;
  agent: string | null;
  has_usage: boolean;
  event: Record<string, unknown> | null;
  event_key: string | null;
  counted_agent: string | null;
  version: number;
  rejected: boolean;
};

/** What each GenAI span of a trace should count as now: nothing, or one event under an agent. */
export function desiredCounts(spans: Pick<Stored, "span_id" | "parent_span_id" | "operation" | "agent" | "has_usage" | "event">[]) {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  const children = new Map<string, string[]>();
  for (const s of spans) if (s.parent_span_id) children.set(s.parent_span_id, [...(children.get(s.parent_span_id) ?? []), s.span_id]);
  const memo = new Map<string, boolean>();
  // Whether any descendant carries usage (a cycle of parent ids, from a broken exporter, ends the walk).
  const usageBelow = (id: string, seen: Set<string>): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    seen.add(id);
    let found = false;
    for (const child of children.get(id) ?? []) {
      if (seen.has(child)) continue;
      if (byId.get(child)!.has_usage || usageBelow(child, seen)) found = true;
    }
    memo.set(id, found);
    return found;
  };
  const agentAbove = (s: (typeof spans)[number]): string | null => {
    const seen = new Set([s.span_id]);
    let p = s.parent_span_id ? byId.get(s.parent_span_id) : undefined;
    while (p && !seen.has(p.span_id)) {
      if (p.operation === "invoke_agent" && p.agent) return p.agent;
      seen.add(p.span_id);
      p = p.parent_span_id ? byId.get(p.parent_span_id) : undefined;
    }
    return null;
  };
  const result = new Map<string, { counts: boolean; agent: string }>();
  for (const s of spans) {
    if (!s.event) continue;
    result.set(s.span_id, {
      counts: !(s.has_usage && usageBelow(s.span_id, new Set())),
      agent: s.agent ?? agentAbove(s) ?? String(s.event.agent),
    });
  }
  return result;
}

const keyOf = (spanId: string, version: number) => (version === 0 ? spanId : `${spanId}~v${version}`);

/**
 * Ingests an OTLP request's spans (collectSpans) under `source` within `policy`: stored per trace, counted once, corrected when
 * a late span changes what the trace counts. Rejections point at the span's position in the request.
 */
export async function ingestTraces(source: string, spans: SpanRecord[], policy: KeyPolicy): Promise<IngestResponse> {
  const result: IngestResponse = { accepted: 0, duplicates: 0, rejected: [] };
  // A span without ids cannot be placed in a trace: counted on its own, as before.
  const loose = spans.filter((s) => s.event && (!s.traceId || !s.spanId));
  if (loose.length) {
    const r = await ingestMapped(source, { events: loose.map((s) => s.event), origin: loose.map((s) => s.index), rejected: [] }, policy);
    result.accepted += r.accepted;
    result.duplicates += r.duplicates;
    result.rejected.push(...r.rejected);
  }
  const traced = spans.filter((s) => s.traceId && s.spanId);
  if (traced.length) {
    const r = await ingestTraced(source, traced, policy);
    result.accepted += r.accepted;
    result.duplicates += r.duplicates;
    result.rejected.push(...r.rejected);
  }
  result.rejected.sort((a, b) => a.index - b.index);
  if (result.accepted > 0) scheduleAlertEvaluation();
  return result;
}

/** All traces of a request in one transaction, under their locks (taken in trace id order: no deadlocks). */
async function ingestTraced(source: string, received: SpanRecord[], policy: KeyPolicy): Promise<IngestResponse> {
  return inTransaction(async (client) => {
    const traceIds = [...new Set(received.map((s) => s.traceId))].sort();
    // Two requests carrying spans of one trace queue here, so neither counts what the other counts.
    await client.query(
      "SELECT pg_advisory_xact_lock(hashtext('otlp_trace'), hashtext($1 || '/' || t)) FROM (SELECT t FROM unnest($2::text[]) AS t ORDER BY t OFFSET 0) AS ordered",
      [source, traceIds],
    );
    const traces = await client.query<{ trace_id: string; settled: boolean }>(
      `INSERT INTO otlp_traces (source, trace_id) SELECT $1, t FROM unnest($2::text[]) AS t ORDER BY t
       ON CONFLICT (source, trace_id) DO UPDATE SET last_span_at = now()
       RETURNING trace_id, settled_at IS NOT NULL AS settled`,
      [source, traceIds],
    );
    const settled = new Set(traces.rows.filter((r) => r.settled).map((r) => r.trace_id));
    const unique = [...new Map(received.map((s) => [`${s.traceId}/${s.spanId}`, s])).values()];
    const inserted = await client.query<{ trace_id: string; span_id: string }>(
      `INSERT INTO trace_spans (source, trace_id, span_id, parent_span_id, name, operation, agent, has_usage, event)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::jsonb[])
       ORDER BY 2, 3
       ON CONFLICT (source, trace_id, span_id) DO NOTHING
       RETURNING trace_id, span_id`,
      [source, unique.map((s) => s.traceId), unique.map((s) => s.spanId), unique.map((s) => s.parentSpanId), unique.map((s) => s.name),
        unique.map((s) => s.operation), unique.map((s) => s.agent), unique.map((s) => s.hasUsage), unique.map((s) => (s.event ? JSON.stringify(s.event) : null))],
    );
    const id = (traceId: string, spanId: string) => `${traceId}/${spanId}`;
    const isNew = new Set(inserted.rows.map((r) => id(r.trace_id, r.span_id)));
    const genAi = received.filter((s) => s.event);
    if (isNew.size === 0) {
      // A re-sent span changes nothing.
      return { accepted: 0, duplicates: genAi.length, rejected: [] };
    }
    const changed = [...new Set(inserted.rows.map((r) => r.trace_id))];
    const stored = await client.query<Stored & { trace_id: string }>(
      `SELECT trace_id, span_id, parent_span_id, operation, agent, has_usage, event, event_key, counted_agent, version, rejected
       FROM trace_spans WHERE source = $1 AND trace_id = ANY($2::text[])`,
      [source, changed],
    );
    const byTrace = new Map<string, Stored[]>();
    for (const row of stored.rows) byTrace.set(row.trace_id, [...(byTrace.get(row.trace_id) ?? []), row]);
    const spanRow = new Map(stored.rows.map((s) => [id(s.trace_id, s.span_id), s]));
    const desired = new Map<string, { counts: boolean; agent: string }>();
    for (const [traceId, rows] of byTrace) for (const [spanId, want] of desiredCounts(rows)) desired.set(id(traceId, spanId), want);
    const indexOf = new Map(received.map((s) => [id(s.traceId, s.spanId), s.index]));

    // New events: a new span's first event, or a counted span's event under another agent (after its reversal).
    // eventOf[i] = the (trace, span) of events[i]; span ids may repeat across traces.
    const events: Record<string, unknown>[] = [];
    const eventOf: string[] = [];
    const reverse = new Map<string, Stored & { trace_id: string }>();
    for (const s of stored.rows) {
      const key = id(s.trace_id, s.span_id);
      const want = desired.get(key);
      if (!want || s.rejected) continue;
      if (s.event_key === null) {
        // Not counted: a new span is counted once; a reversed one stays reversed (descendants only get added).
        if (s.version === 0 && isNew.has(key) && want.counts) {
          events.push({ ...s.event, id: s.span_id, agent: want.agent });
          eventOf.push(key);
        }
      } else if (!want.counts) {
        reverse.set(key, s);
      } else if (want.agent !== s.counted_agent) {
        const late = settled.has(s.trace_id) ? { properties: { ...(s.event!.properties as object), trace_adjustment: "settled" } } : {};
        events.push({ ...s.event, id: keyOf(s.span_id, s.version + 1), agent: want.agent, ...late });
        eventOf.push(key);
        reverse.set(key, s);
      }
    }
    const parsed = parseBatch(events);
    const org = await orgSettings();
    const compiled = compilePolicy(policy);
    const [departments, prices, lookups] = await Promise.all([
      loadDepartments(client, parsed.departmentCodes),
      loadPriceBook(pool),
      loadPolicyLookups(client, compiled.needs, parsed.valid),
    ]);
    const fx = await loadFxLookup(client, org.currency, org.timeZone, fxNeeds(parsed.valid, org.currency, org.timeZone, prices.currencies));
    // validateBatch keeps one row per key: give each event its index so rows map back to their span.
    const validated = parsed.valid.map((v) => ({ ...validateBatch({ valid: [v], rejected: [] }, {
      currency: org.currency,
      now: Date.now(),
      maxClockSkewSeconds: env().INGEST_MAX_CLOCK_SKEW_SECONDS,
      departments,
      prices,
      fx,
      policy: { compiled, lookups },
    }), index: v.index }));
    const rejectedSpans = new Set([...parsed.rejected.map((r) => eventOf[r.index]!), ...validated.filter((v) => v.rejected.length).map((v) => eventOf[v.index]!)]);
    const rows: EventRow[] = [];
    const written = new Set<string>();
    const updates: { trace: string; span: string; key: string | null; agent: string | null; version: number; rejected: boolean }[] = [];
    for (const v of validated) {
      const row = v.rows[0];
      if (!row) continue;
      const key = eventOf[v.index]!;
      const s = spanRow.get(key)!;
      const previous = reverse.get(key);
      if (previous) {
        // Re-attribution: the corrected event points at the original it replaces.
        const original = await loadOriginal(client, source, previous.event_key!);
        if (!original || original.properties.trace_id !== s.trace_id) continue;
        rows.push({ ...row, correctsEventId: original.id, correctionKind: "correction" });
      } else {
        rows.push(row);
      }
      written.add(key);
      updates.push({ trace: s.trace_id, span: s.span_id, key: row.key, agent: desired.get(key)!.agent, version: previous ? s.version + 1 : s.version, rejected: false });
    }
    for (const [key, s] of reverse) {
      const counts = desired.get(key)!.counts;
      // A re-attribution whose new event was refused keeps the old one (usage is never dropped).
      if (counts && !written.has(key)) continue;
      const original = await loadOriginal(client, source, s.event_key!);
      // Only ever the event this trace wrote (a span id re-used in another trace was a duplicate there).
      if (!original || original.properties.trace_id !== s.trace_id) continue;
      const reversal = reversalOf(original, `${s.event_key}~reversal`);
      if (settled.has(s.trace_id)) reversal.properties = JSON.stringify({ ...original.properties, trace_adjustment: "settled" });
      rows.push({ ...reversal, correctsEventId: original.id, correctionKind: "reversal" });
      if (!counts) updates.push({ trace: s.trace_id, span: s.span_id, key: null, agent: null, version: s.version + 1, rejected: false });
    }
    for (const key of rejectedSpans) {
      const s = spanRow.get(key)!;
      if (s.event_key === null) updates.push({ trace: s.trace_id, span: s.span_id, key: null, agent: null, version: s.version, rejected: true });
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)); // the ingest statement's lock order
    // One row per key: a span id repeated in two traces of the request is stored once (idempotency by span id).
    await writeEvents(client, source, rows.filter((r, i) => i === 0 || rows[i - 1]!.key !== r.key));
    if (updates.length) {
      await client.query(
        `UPDATE trace_spans t SET event_key = u.key, counted_agent = u.agent, version = u.version, rejected = u.rejected
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[]) AS u(trace, span, key, agent, version, rejected)
         WHERE t.source = $1 AND t.trace_id = u.trace AND t.span_id = u.span`,
        [source, updates.map((u) => u.trace), updates.map((u) => u.span), updates.map((u) => u.key), updates.map((u) => u.agent), updates.map((u) => u.version), updates.map((u) => u.rejected)],
      );
    }
    const errorsOf = new Map<number, string[]>([...parsed.rejected.map((r) => [r.index, r.errors] as const), ...validated.filter((v) => v.rejected.length).map((v) => [v.index, v.rejected[0]!.errors] as const)]);
    const rejected = [...errorsOf]
      .filter(([i]) => isNew.has(eventOf[i]!) && spanRow.get(eventOf[i]!)!.version === 0 && !reverse.has(eventOf[i]!))
      .map(([i, errors]) => ({ index: indexOf.get(eventOf[i]!)!, id: spanRow.get(eventOf[i]!)!.span_id, errors }));
    // Accepted: the request's new GenAI spans now stored and not refused (some rightly count nothing); a span
    // stored before, or repeated in the request, is a duplicate.
    let accepted = 0;
    let duplicates = 0;
    const first = new Set<string>();
    for (const s of genAi) {
      const key = id(s.traceId, s.spanId);
      if (isNew.has(key) && !first.has(key)) {
        first.add(key);
        if (!rejectedSpans.has(key)) accepted++;
      } else duplicates++;
    }
    return { accepted, duplicates, rejected };
  });
}

/** Marks traces whose last span is older than TRACE_SETTLE_SECONDS settled (a job, lib/jobs/registry.ts). */
export async function settleTraces(): Promise<number> {
  const { rowCount } = await pool.query(
    "UPDATE otlp_traces SET settled_at = now() WHERE settled_at IS NULL AND last_span_at < now() - make_interval(secs => $1)",
    [env().TRACE_SETTLE_SECONDS],
  );
  return rowCount ?? 0;
}
