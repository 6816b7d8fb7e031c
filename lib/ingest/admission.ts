// Admission for the ingestion routes: the key's rate limit, then room in the rollup tail. The fold (lib/rollups/fold.ts)
// lets bursts grow the tail; past INGEST_TAIL_LIMIT_ROWS ingestion answers 503 with Retry-After, so a load the
// machine cannot fold cannot grow the tail, and the dashboards' reads of it, without bound. Nothing is stored then.
import "server-only";
import type { ApiKeyCaller } from "@/lib/auth/caller";
import { IngestionBacklogError } from "@/lib/api/errors";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { env } from "@/lib/env";
import { tailSpan } from "@/lib/rollups/fold";

/** Read at most once a second per process: every instance's fold shortens the tail, so staleness stays bounded. */
const TAIL_READ_MS = 1_000;
let lastRead: { at: number; rows: Promise<number> } | null = null;

function tailLength(): Promise<number> {
  if (!lastRead || Date.now() - lastRead.at > TAIL_READ_MS) {
    const rows = tailSpan().then((span) => span.rows);
    lastRead = { at: Date.now(), rows };
    rows.catch(() => {
      if (lastRead?.rows === rows) lastRead = null; // a failed read is not cached
    });
  }
  return lastRead.rows;
}

export async function admitIngestion(caller: ApiKeyCaller): Promise<void> {
  await enforceRateLimit(caller);
  const rows = await tailLength();
  const limit = env().INGEST_TAIL_LIMIT_ROWS;
  if (rows > limit) throw new IngestionBacklogError(rows, limit);
}
