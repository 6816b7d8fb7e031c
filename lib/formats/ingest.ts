// Hands mapped events to the one ingestion path (lib/ingest) and folds the mapper's own rejections back in,
// with indexes that point into the client's payload.
import "server-only";
import type { Pool, PoolClient } from "pg";
import { ingestEvents } from "@/lib/ingest/ingest";
import type { KeyPolicy } from "@/lib/ingest/policy";
import { MAX_EVENTS_PER_BATCH, type IngestResponse } from "@/lib/ingest/schemas";
import type { MappedBatch } from "./mapped";

export async function ingestMapped(source: string, batch: MappedBatch, policy: KeyPolicy, client?: Pool | PoolClient): Promise<IngestResponse> {
  const result: IngestResponse = { accepted: 0, duplicates: 0, rejected: [...batch.rejected] };
  for (let start = 0; start < batch.events.length; start += MAX_EVENTS_PER_BATCH) {
    const chunk = batch.events.slice(start, start + MAX_EVENTS_PER_BATCH);
    const response = await ingestEvents(source, chunk, policy, client);
    result.accepted += response.accepted;
    result.duplicates += response.duplicates;
    for (const r of response.rejected) result.rejected.push({ ...r, index: batch.origin[start + r.index]! });
  }
  result.rejected.sort((a, b) => a.index - b.index);
  return result;
}
