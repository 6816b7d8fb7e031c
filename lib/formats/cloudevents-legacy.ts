// Until 2026-12 a CloudEvent's idempotency key was its `id` alone; it is now `source` + `id` (cloudEventKey).
// A retry of an event stored under the old key must still be a duplicate: an event whose old key is taken by an
// event from the same CloudEvents source (properties.ce_source) is dropped here and counted as a duplicate.
import "server-only";
import { pool } from "@/lib/db";
import type { CloudEventBatch } from "./cloudevents";

export async function dropLegacyDuplicates(source: string, batch: CloudEventBatch): Promise<{ batch: CloudEventBatch; duplicates: number }> {
  if (!batch.events.length) return { batch, duplicates: 0 };
  const { rows } = await pool.query<{ event_key: string; ce_source: string | null }>(
    `SELECT k.event_key, e.properties->>'ce_source' AS ce_source
       FROM usage_event_keys k JOIN usage_events e ON e.id = k.event_id AND e.timestamp = k.timestamp
      WHERE k.source = $1 AND k.event_key = ANY($2::text[])`,
    [source, [...new Set(batch.identities.map((i) => i.id))]],
  );
  const stored = new Set(rows.map((r) => `${r.ce_source} ${r.event_key}`));
  const keep = batch.identities.map((identity) => !stored.has(`${identity.source} ${identity.id}`));
  const duplicates = keep.filter((k) => !k).length;
  if (!duplicates) return { batch, duplicates: 0 };
  return {
    batch: {
      events: batch.events.filter((_, i) => keep[i]),
      origin: batch.origin.filter((_, i) => keep[i]),
      identities: batch.identities.filter((_, i) => keep[i]),
      rejected: batch.rejected,
    },
    duplicates,
  };
}
