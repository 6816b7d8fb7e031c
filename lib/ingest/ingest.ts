// Ingestion service: validate a batch of events, store the valid ones exactly once, report the rest.
import "server-only";
import { scheduleAlertEvaluation } from "@/lib/alerts/schedule";
import type { Pool, PoolClient } from "pg";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { orgSettings } from "@/lib/org";
import type { IngestResponse } from "./schemas";
import { loadFxLookup } from "@/lib/currency/lookup";
import { fxNeeds, parseBatch, validateBatch } from "./validate";
import { compilePolicy, type KeyPolicy } from "./policy";
import { loadPriceBook } from "@/lib/pricing/book";
import { budgetSpendWritten } from "@/lib/budgets/service";
import { loadDepartments, loadPolicyLookups, writeEventsWithSpend } from "./writer";

/**
 * Ingests events under an idempotency `source` (the API key's), within what the key's `policy` allows
 * (UNRESTRICTED for trusted server-side writers). Events the policy forbids are rejected one by one. `client`: a
 * transaction's connection when the events must commit with other writes (OTLP metric series state).
 */
export async function ingestEvents(source: string, events: unknown[], policy: KeyPolicy, client: Pool | PoolClient = pool): Promise<IngestResponse> {
  const parsed = parseBatch(events);
  const compiled = compilePolicy(policy);
  const [departments, prices, org, lookups] = await Promise.all([
    loadDepartments(client, parsed.departmentCodes),
    loadPriceBook(pool),
    orgSettings(),
    loadPolicyLookups(client, compiled.needs, parsed.valid),
  ]);
  const fx = await loadFxLookup(client, org.currency, org.timeZone, fxNeeds(parsed.valid, org.currency, org.timeZone, prices.currencies));
  const batch = validateBatch(parsed, {
    currency: org.currency,
    now: Date.now(),
    maxClockSkewSeconds: env().INGEST_MAX_CLOCK_SKEW_SECONDS,
    departments,
    prices,
    fx,
    policy: { compiled, lookups },
  });
  const { accepted, spend } = await writeEventsWithSpend(client, source, batch.rows);
  // Before the acknowledgement: a budget check here right after it sees this batch. Inside a caller's transaction the
  // rows may still roll back, so the cache waits for the NOTIFY sent at commit instead.
  if (client === pool) await budgetSpendWritten(spend);
  // Budgets and anomalies are re-checked after new spend lands (coalesced, in the background).
  if (accepted > 0) scheduleAlertEvaluation();
  return { accepted, duplicates: batch.duplicatesInBatch + batch.rows.length - accepted, rejected: batch.rejected };
}
