// In-process scheduler: every tick, each app instance claims due connectors one at a time (a lease in the row,
// so N instances never run the same connector at once) and runs them. Started once per server by instrumentation.ts.
import "server-only";
import { pool, runInBackground } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { claim, runClaimed } from "./run";

let busy = false;

/** Runs every connector that is due now; returns how many ran. */
export async function runDueConnectors(): Promise<number> {
  if (busy) return 0; // a slow tick must not overlap the next
  busy = true;
  let ran = 0;
  try {
    const due = await pool.query<{ id: number }>(
      "SELECT id FROM connectors WHERE enabled AND next_run_at <= now() AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_run_at",
    );
    for (const { id } of due.rows) {
      if (!(await claim(id, true))) continue;
      await runClaimed(id);
      ran++;
    }
  } catch (error) {
    log.warn("connector scheduler tick failed", { error: (error as Error).message });
  } finally {
    busy = false;
  }
  return ran;
}

const globalForScheduler = globalThis as unknown as { connectorScheduler?: NodeJS.Timeout };

export function startScheduler(): void {
  if (env().CONNECTOR_SCHEDULER === "off" || globalForScheduler.connectorScheduler) return;
  const timer = setInterval(() => void runInBackground(runDueConnectors), env().CONNECTOR_TICK_SECONDS * 1000);
  timer.unref();
  globalForScheduler.connectorScheduler = timer;
}
