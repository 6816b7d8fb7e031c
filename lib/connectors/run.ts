// One connector run: fetch settled buckets page by page from the checkpoint on, ingest each page through
// lib/ingest, and move the checkpoint after each stored page. A failed run keeps what it stored; the next run
// re-fetches from the checkpoint and the deterministic event ids turn the overlap into duplicates, not double counts.
import "server-only";
import { db, pool } from "@/lib/db";
import { ingestEvents } from "@/lib/ingest/ingest";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { log } from "@/lib/log";
import { decryptSecret } from "./crypto";
import { DEFAULT_RETRY, getJson, type RetryOptions } from "./http";
import { SALESFORCE } from "./salesforce/connection";
import type { QueryOptions } from "./salesforce/data360";
import { runSalesforce } from "./salesforce/sync";
import { pageRequest, parsePage, window, type ConnectorSettings, type Dataset, type Provider } from "./providers";

/** Lease length: longer than any sane run; a crashed instance's lease simply expires. */
const LEASE_MINUTES = 30;

/** Idempotency namespace of a connector's events. */
export const connectorSource = (id: number) => `connector:${id}`;

/** Takes the connector's lease if no other run holds it; false when it is busy. */
export async function claim(id: number, dueOnly: boolean): Promise<boolean> {
  const result = await pool.query(
    `UPDATE connectors SET lease_until = now() + make_interval(mins => $2)
     WHERE id = $1 AND (lease_until IS NULL OR lease_until < now()) ${dueOnly ? "AND enabled AND next_run_at <= now()" : ""}
     RETURNING id`,
    [id, LEASE_MINUTES],
  );
  return result.rowCount === 1;
}

export type RunOptions = { now?: Date; retry?: RetryOptions; data360?: QueryOptions };

/** Runs a claimed connector to the end (or its first hard failure) and releases the lease. Returns the run id. */
export async function runClaimed(id: number, options: RunOptions = {}): Promise<number> {
  const connector = await db.connector.findUniqueOrThrow({ where: { id } });
  const run = await db.connectorRun.create({ data: { connectorId: id, status: "running" } });
  const totals = { pages: 0, accepted: 0, duplicates: 0, rejected: 0 };
  let error: string | null = null;
  try {
    if (connector.provider === SALESFORCE) {
      await runSalesforce(connector, totals, () => db.connectorRun.update({ where: { id: run.id }, data: totals }).then(() => undefined), options);
      return run.id;
    }
    const settings: ConnectorSettings = {
      provider: connector.provider as Provider,
      dataset: connector.dataset as Dataset,
      baseUrl: connector.baseUrl,
      agentKey: connector.agentKey,
      departmentCode: connector.departmentCode,
    };
    const apiKey = decryptSecret(connector.apiKeyEncrypted);
    const range = window(settings, connector.checkpoint, connector.backfillDays, options.now ?? new Date());
    let page: string | null = null;
    while (range) {
      const { url, headers } = pageRequest(settings, apiKey, range, page);
      const parsed = parsePage(settings, await getJson(url, headers, options.retry ?? DEFAULT_RETRY));
      const result = parsed.events.length ? await ingestEvents(connectorSource(id), parsed.events, UNRESTRICTED) : { accepted: 0, duplicates: 0, rejected: [] };
      totals.pages++;
      totals.accepted += result.accepted;
      totals.duplicates += result.duplicates;
      totals.rejected += result.rejected.length;
      if (result.rejected.length) log.warn("connector rows rejected", { connector: id, sample: result.rejected.slice(0, 3) });
      page = parsed.nextPage;
      // The last page completes the window even when the provider sent no bucket for its tail.
      const reached = page === null ? range.end : parsed.lastBucketEnd;
      if (reached) await db.connector.update({ where: { id }, data: { checkpoint: reached } });
      await db.connectorRun.update({ where: { id: run.id }, data: totals });
      if (page === null) break;
    }
  } catch (e) {
    error = (e as Error).message.slice(0, 1000);
    log.warn("connector run failed", { connector: id, error });
  } finally {
    await db.connectorRun.update({
      where: { id: run.id },
      data: { ...totals, status: error ? "failed" : "succeeded", error, finishedAt: new Date() },
    });
    await pool.query(
      "UPDATE connectors SET lease_until = NULL, next_run_at = now() + make_interval(mins => interval_minutes) WHERE id = $1",
      [id],
    );
  }
  return run.id;
}
