// Scheduled connector runs on the job queue (lib/jobs): the per-minute "connectors.tick" job enqueues one
// "connectors.run" job per due connector; the run takes the connector's lease (a row lease, so a manual
// "Run now" and a scheduled run never overlap) and runs it. CONNECTOR_SCHEDULER=off unschedules the tick.
import "server-only";
import { pool } from "@/lib/db";
import { enqueueJob } from "@/lib/jobs/queue";
import { claim, runClaimed } from "./run";

/** Enqueues a run for every connector that is due now; returns how many. One job per connector per minute. */
export async function enqueueDueConnectors(): Promise<number> {
  const due = await pool.query<{ id: number }>(
    "SELECT id FROM connectors WHERE enabled AND next_run_at <= now() AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_run_at",
  );
  for (const { id } of due.rows) await enqueueJob("connectors.run", { connectorId: id }, { singletonKey: `connector:${id}`, singletonSeconds: 60 });
  return due.rows.length;
}

/** Runs one connector if it is still due and free; returns the run id, or null when it is not. */
export async function runDueConnector(id: number): Promise<number | null> {
  if (!(await claim(id, true))) return null;
  return runClaimed(id);
}
