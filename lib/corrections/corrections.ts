// Event corrections: a stored event is never edited. A reversal is a new event that negates the original's
// quantities, tokens and costs (event_sign -1, so counts net out too); a correction adds the corrected event as a
// third. Both are linked to the original (corrects_event_id, correction_kind) and written through the ingest
// statement, so rollups stay exact and events in a finalized period are marked late (the next draft carries the
// difference, lib/billing/late.ts). One correction per original, idempotent by (source, idempotency key).
import "server-only";
import { createHash } from "node:crypto";
import type { PoolClient } from "pg";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "@/lib/api/errors";
import { callerLabel, type Caller } from "@/lib/auth/caller";
import { inTransaction, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { compilePolicy, policyErrors, UNRESTRICTED } from "@/lib/ingest/policy";
import { loadFxLookup } from "@/lib/currency/lookup";
import { fxNeeds, parseEvent, toRow, type EventRow } from "@/lib/ingest/validate";
import { loadDepartments, loadPolicyLookups, writeEvents } from "@/lib/ingest/writer";
import { loadPriceBook } from "@/lib/pricing/book";
import { orgSettings } from "@/lib/org";
import { assertRetained } from "@/lib/retention/boundary";
import type { CorrectionRequest, CorrectionResponse } from "./schemas";

type Original = {
  id: string;
  event_key: string;
  timestamp: Date;
  type: string;
  agent: string;
  department_id: number | null;
  department: string | null;
  customer: string | null;
  quantity: string;
  reported_cost: string | null;
  computed_cost: string | null;
  computed_price_id: number | null;
  cost: string;
  model: string | null;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_creation_tokens: string;
  reasoning_tokens: string;
  task_type: string | null;
  handled_by: string | null;
  task_status: string | null;
  duration_seconds: string | null;
  properties: Record<string, string | number | boolean>;
  correction_kind: string | null;
  price_rule: string | null;
  unpriced: boolean;
  service_tier: string | null;
  original_cost: string | null;
  original_currency: string | null;
  fx_rate: string | null;
  fx_rate_date: string | null;
  fx_pending: boolean;
  in_finalized: boolean;
};

type Stored = {
  id: number;
  kind: "reversal" | "correction";
  reason: string;
  original_key: string;
  original_event_id: string;
  idempotency_key: string;
  request_hash: string;
  reversal_event_id: string;
  corrected_event_id: string | null;
  created_at: Date;
};

/** "1.5" → "-1.5", "-2" → "2", zero stays zero (exact: text only). */
export function negate(value: string): string {
  if (/^-?0*\.?0*$/.test(value)) return value.replace(/^-/, "");
  return value.startsWith("-") ? value.slice(1) : `-${value}`;
}

export async function loadOriginal(client: PoolClient, source: string, key: string): Promise<Original | null> {
  const { rows } = await client.query<Original>(
    `SELECT e.id::text, e.event_key, e.timestamp, e.type, a.key AS agent, e.department_id, d.code AS department, c.key AS customer,
       e.quantity::text, e.reported_cost::text, e.computed_cost::text, e.computed_price_id, e.cost::text, e.model,
       e.input_tokens::text, e.output_tokens::text, e.cache_read_tokens::text, e.cache_creation_tokens::text,
       e.reasoning_tokens::text, e.task_type, e.handled_by, e.task_status, e.duration_seconds::text, e.properties,
       e.correction_kind, e.price_rule, e.unpriced, e.service_tier, e.original_cost::text, e.original_currency,
       e.fx_rate::text, to_char(e.fx_rate_date, 'YYYY-MM-DD') AS fx_rate_date, e.fx_pending,
       EXISTS (SELECT 1 FROM invoices i WHERE i.status = 'finalized' AND e.timestamp >= i.period_start AND e.timestamp < i.period_end) AS in_finalized
     FROM usage_events e JOIN agents a ON a.id = e.agent_id
     LEFT JOIN departments d ON d.id = e.department_id LEFT JOIN customers c ON c.id = e.customer_id
     WHERE e.source = $1 AND e.event_key = $2`,
    [source, key],
  );
  return rows[0] ?? null;
}

/** The original as the event contract reads it, so a correction is validated and priced like ingestion. */
function asContract(o: Original): Record<string, unknown> {
  const tokens = {
    input: Number(o.input_tokens),
    output: Number(o.output_tokens),
    cache_read: Number(o.cache_read_tokens),
    cache_creation: Number(o.cache_creation_tokens),
    reasoning: Number(o.reasoning_tokens),
  };
  const hasTokens = o.computed_price_id !== null || Object.values(tokens).some((t) => t !== 0);
  return {
    timestamp: o.timestamp.toISOString(),
    agent: o.agent,
    type: o.type,
    quantity: o.quantity,
    ...(o.department ? { department: o.department } : {}),
    ...(o.customer ? { customer: o.customer } : {}),
    // A cost sent in another currency is corrected as sent (and converted again); "" = the organization currency.
    ...(o.original_currency !== null ? { cost: { amount: o.original_cost, currency: o.original_currency } }
      : o.reported_cost !== null ? { cost: { amount: o.reported_cost, currency: "" } } : {}),
    ...(o.model ? { model: o.model } : {}),
    ...(o.service_tier ? { service_tier: o.service_tier } : {}),
    ...(hasTokens ? { tokens } : {}),
    ...(o.task_type
      ? { task: { type: o.task_type, ...(o.handled_by ? { handled_by: o.handled_by } : {}), ...(o.task_status ? { status: o.task_status } : {}), ...(o.duration_seconds !== null ? { duration_seconds: Number(o.duration_seconds) } : {}) } }
      : {}),
    ...(Object.keys(o.properties).length ? { properties: o.properties } : {}),
  };
}

export function reversalOf(o: Original, key: string): EventRow {
  const neg = (v: string) => -Number(v);
  return {
    key,
    timestamp: o.timestamp.toISOString(),
    type: o.type,
    agentKey: o.agent,
    departmentId: o.department_id,
    customerKey: o.customer,
    quantity: negate(o.quantity),
    reportedCost: o.reported_cost === null ? null : negate(o.reported_cost),
    computedCost: o.computed_cost === null ? null : negate(o.computed_cost),
    computedPriceId: o.computed_price_id,
    cost: negate(o.cost),
    model: o.model,
    inputTokens: neg(o.input_tokens),
    outputTokens: neg(o.output_tokens),
    cacheReadTokens: neg(o.cache_read_tokens),
    cacheCreationTokens: neg(o.cache_creation_tokens),
    reasoningTokens: neg(o.reasoning_tokens),
    taskType: o.task_type,
    handledBy: o.handled_by,
    taskStatus: o.task_status,
    durationSeconds: o.duration_seconds === null ? null : negate(o.duration_seconds),
    properties: JSON.stringify(o.properties),
    priceRule: o.price_rule,
    unpriced: o.unpriced,
    serviceTier: o.service_tier,
    originalCost: o.original_cost === null ? null : negate(o.original_cost),
    originalCurrency: o.original_currency,
    fxRate: o.fx_rate,
    fxRateDate: o.fx_rate_date,
    fxPending: o.fx_pending,
  };
}

function present(s: Stored, source: string, original: { key: string; id: string }, inFinalizedPeriod: boolean, replayed: boolean): CorrectionResponse {
  return {
    id: s.id,
    kind: s.kind,
    reason: s.reason,
    source,
    original: { id: original.key, eventId: original.id },
    reversal: { id: `${original.key}#reversal`, eventId: s.reversal_event_id },
    corrected: s.corrected_event_id ? { id: `${original.key}#correction`, eventId: s.corrected_event_id } : null,
    inFinalizedPeriod,
    replayed,
    createdAt: s.created_at.toISOString(),
  };
}

/**
 * Reverses or corrects the event `key` of `source`. An API key may correct only events of its own source, within
 * its policy (agents, departments, customers, finalized periods, cost ceiling); an admin may correct any event.
 */
export async function correctEvent(caller: Caller, source: string, key: string, input: CorrectionRequest): Promise<CorrectionResponse> {
  if (caller.kind === "apiKey" && caller.source !== source) {
    throw new ForbiddenError(`This API key writes events of source '${caller.source}' and may correct only those`);
  }
  const policy = caller.kind === "apiKey" ? caller.policy : UNRESTRICTED;
  const hash = createHash("sha256").update(JSON.stringify([input.kind, input.reason, input.kind === "correction" ? input.event : null])).digest("hex");
  const org = await orgSettings();
  return inTransaction(async (client) => {
    // Concurrent requests for one original queue here; the second then finds the first's correction.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('event_correction'), hashtext($1 || '/' || $2))", [source, key]);
    const previous = await client.query<Stored>(
      `SELECT id, kind, reason, original_key, original_event_id::text, idempotency_key, request_hash, reversal_event_id::text, corrected_event_id::text, created_at
       FROM event_corrections WHERE source = $1 AND (idempotency_key = $2 OR original_key = $3) ORDER BY (idempotency_key = $2) DESC LIMIT 1`,
      [source, input.idempotency_key, key],
    );
    const original = await loadOriginal(client, source, key);
    if (!original) {
      // The key table outlives raw event retention: a known event whose month was dropped is a 409, not a 404.
      const known = await client.query<{ timestamp: Date }>("SELECT timestamp FROM usage_event_keys WHERE source = $1 AND event_key = $2", [source, key]);
      if (known.rows[0]) await assertRetained(`A correction of event '${key}'`, known.rows[0].timestamp, client);
      throw new NotFoundError(`No event '${key}' in source '${source}'`);
    }
    const done = previous.rows[0];
    if (done) {
      await client.query("COMMIT");
      if (done.idempotency_key === input.idempotency_key) {
        if (done.original_key !== key) throw new ConflictError(`idempotency_key was already used for a correction of event '${done.original_key}'`);
        if (done.request_hash !== hash) throw new ConflictError("idempotency_key was already used for a different request to correct this event");
        return present(done, source, { key, id: done.original_event_id }, original.in_finalized, true);
      }
      const what = done.kind === "reversal" ? "reversed" : "corrected";
      throw new ConflictError(
        `Event '${key}' was already ${what} (correction ${done.id})` + (done.kind === "correction" ? `; correct its corrected event '${key}#correction' instead` : ""),
      );
    }
    if (original.correction_kind === "reversal") throw new ConflictError(`Event '${key}' is a reversal; reversals cannot be corrected`);

    const compiled = compilePolicy(policy);
    const rows: EventRow[] = [{ ...reversalOf(original, `${key}#reversal`), correctsEventId: original.id, correctionKind: "reversal" }];
    const contract: Record<string, unknown> = { ...asContract(original), id: `${key}#correction` };
    if (input.kind === "correction") {
      for (const [field, value] of Object.entries(input.event)) {
        if (value === null) delete contract[field];
        else contract[field] = value;
      }
    }
    if (contract.cost && typeof contract.cost === "object" && (contract.cost as { currency: string }).currency === "") {
      (contract.cost as { currency: string }).currency = org.currency;
    }
    const parsedCorrection = input.kind === "correction" ? parseEvent(contract) : null;
    if (parsedCorrection && !parsedCorrection.ok) {
      throw new BadRequestError("Invalid corrected event", parsedCorrection.errors.map((e) => ({ path: `event.${e.split(":")[0]}`, message: e.split(": ").slice(1).join(": ") })));
    }
    const corrected = parsedCorrection?.ok ? parsedCorrection.event : null;
    const lookupEvents = [{ event: { agent: original.agent, customer: original.customer ?? undefined } }, ...(corrected ? [{ event: corrected }] : [])];
    const [departments, prices, lookups] = await Promise.all([
      loadDepartments(client, corrected?.department ? [corrected.department] : []),
      loadPriceBook(pool),
      loadPolicyLookups(client, compiled.needs, lookupEvents),
    ]);
    // The reversal takes back what the original put in: the key must have been allowed to write the original.
    const denied = policyErrors(
      { agent: original.agent, customer: original.customer, departmentId: original.department_id, departmentCode: original.department, at: original.timestamp.getTime(), cost: "0" },
      compiled,
      lookups,
    );
    if (denied.length) throw new ForbiddenError(`This API key may not correct event '${key}': ${denied.join("; ")}`);
    if (corrected) {
      const fx = await loadFxLookup(client, org.currency, org.timeZone, fxNeeds([{ index: 0, event: corrected }], org.currency, org.timeZone, prices.currencies));
      const row = toRow(corrected, {
        currency: org.currency,
        now: Date.now(),
        maxClockSkewSeconds: env().INGEST_MAX_CLOCK_SKEW_SECONDS,
        departments,
        prices,
        fx,
        policy: { compiled, lookups },
      });
      if (!row.ok) throw new BadRequestError("Invalid corrected event", row.errors.map((e) => ({ path: `event.${e.split(":")[0]}`, message: e.split(": ").slice(1).join(": ") })));
      rows.push({ ...row.row, correctsEventId: original.id, correctionKind: "correction" });
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)); // the ingest statement's lock order
    const written = await writeEvents(client, source, rows);
    if (written !== rows.length) throw new ConflictError(`Event keys '${key}#reversal' / '${key}#correction' are already taken in source '${source}'`);
    const ids = await client.query<{ event_key: string; id: string }>(
      "SELECT event_key, id::text FROM usage_events WHERE source = $1 AND event_key = ANY($2::text[])",
      [source, rows.map((r) => r.key)],
    );
    const idOf = new Map(ids.rows.map((r) => [r.event_key, r.id]));
    const stored = await client.query<Stored>(
      `INSERT INTO event_corrections (source, original_key, original_event_id, idempotency_key, request_hash, kind, reason, actor, actor_id, reversal_event_id, corrected_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING id, kind, reason, original_key, original_event_id::text, idempotency_key, request_hash, reversal_event_id::text, corrected_event_id::text, created_at`,
      [source, key, original.id, input.idempotency_key, hash, input.kind, input.reason, callerLabel(caller), caller.kind === "user" ? caller.id : null,
        idOf.get(`${key}#reversal`), idOf.get(`${key}#correction`) ?? null],
    );
    const s = stored.rows[0]!;
    await client.query(
      "INSERT INTO audit_logs (actor_id, actor, action, entity, entity_id, before, after) VALUES ($1, $2, $3, 'usage_event', $4, $5, $6)",
      [caller.kind === "user" ? caller.id : null, callerLabel(caller), input.kind === "reversal" ? "event.reverse" : "event.correct", original.id,
        JSON.stringify({ source, id: key, cost: original.cost, quantity: original.quantity }),
        JSON.stringify({ correction: s.id, reason: input.reason, reversalEventId: s.reversal_event_id, correctedEventId: s.corrected_event_id, inFinalizedPeriod: original.in_finalized })],
    );
    return present(s, source, { key, id: original.id }, original.in_finalized, false);
  });
}
