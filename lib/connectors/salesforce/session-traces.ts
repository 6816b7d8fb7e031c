// Session Trace OTel: for each session the sessions preset reads that started within the last 72 hours (the API's
// window), GET /services/data/{ver}/einstein/audit/otel/{sessionId} returns the session as OTLP JSON, which goes
// through the same path as POST /api/v1/otlp/v1/traces (lib/formats/traces.ts: stored per trace, usage counted once,
// idempotent by span id) under the connection's source.
// Not counted twice: while token_usage is on, that preset already has every LLM call's tokens, so the trace's spans
// keep their calls (workload per agent) but carry no tokens and cost 0; without it the trace's tokens count (once,
// by the traces rule), at cost 0 while Flex Credits include the model cost (as token_usage events would).
import "server-only";
import type { Connector } from "@/lib/generated/prisma/client";
import { collectSpans, type SpanRecord, type TracesRequest } from "@/lib/formats/otlp";
import { ingestTraces } from "@/lib/formats/traces";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { log } from "@/lib/log";
import { SalesforceError, type SalesforceClient } from "./client";
import { salesforceSource } from "./connection";
import type { PullTotals } from "./pull";
import type { SalesforceSettings } from "./schemas";

/** The Session Trace OTel API serves sessions that started within the previous 72 hours. */
export const TRACE_WINDOW_MS = 72 * 3_600_000;

/** Applies the counting rule above to one session's spans. */
export function ledgerSpans(spans: SpanRecord[], settings: SalesforceSettings, currency: string, sessionId: string): SpanRecord[] {
  const tokensElsewhere = settings.presets.includes("token_usage");
  const inCredits = settings.presets.includes("flex_credits") && !settings.tokensPaidSeparately;
  for (const s of spans) {
    if (!s.event) continue;
    const properties: Record<string, unknown> = { ...(s.event.properties as Record<string, unknown>), salesforce_session_id: sessionId };
    if (tokensElsewhere) {
      delete s.event.tokens;
      properties.tokens_counted_by = "token_usage";
    }
    // hasUsage stays as sent, so which span of the trace counts (the leaves) does not change.
    if (tokensElsewhere || (inCredits && s.event.tokens)) s.event.cost = { amount: "0", currency };
    s.event.properties = properties;
  }
  return spans;
}

/** Fetches and ingests the traces of `sessions` (id, start) that are inside the API's window; a session without a trace (404) is skipped. */
export async function ingestSessionTraces(connector: Connector, client: SalesforceClient, settings: SalesforceSettings, currency: string, sessions: { id: string; start: string | null }[], now: Date, totals: PullTotals): Promise<void> {
  const from = now.getTime() - TRACE_WINDOW_MS;
  for (const session of sessions) {
    if (!session.id || !session.start || Date.parse(session.start) < from) continue;
    let body: TracesRequest;
    try {
      body = await client.request<TracesRequest>("GET", client.data(`/einstein/audit/otel/${encodeURIComponent(session.id)}`));
    } catch (error) {
      // Tracing or Audit & Feedback off, or the session already outside the window: nothing to add.
      if (error instanceof SalesforceError && error.code === "NOT_FOUND") continue;
      throw error;
    }
    let spans: SpanRecord[];
    try {
      spans = collectSpans(body);
    } catch {
      throw new SalesforceError(`Session Trace OTel API returned no OTLP trace for session ${session.id}`);
    }
    const result = await ingestTraces(salesforceSource(connector.id), ledgerSpans(spans, settings, currency, session.id), UNRESTRICTED);
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    totals.rejected += result.rejected.length;
    if (result.rejected.length) log.warn("salesforce session trace spans rejected", { connector: connector.id, session: session.id, sample: result.rejected.slice(0, 3) });
  }
}
