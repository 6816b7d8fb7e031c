// Alerts are evaluated after ingestion, not on request: ingestion calls scheduleAlertEvaluation() after each
// committed batch. Calls are coalesced — at most one evaluation per MIN_INTERVAL_MS per instance, run in the
// background — so ingest latency never depends on it and a failure here never fails an ingest. Evaluations
// are idempotent and serialized across instances (advisory lock), so several instances are fine.
import "server-only";
import { db, runInBackground } from "@/lib/db";
import { log } from "@/lib/log";
import { evaluateAlerts } from "./evaluate";
import { deliverDueWebhooks, nextDeliveryDue } from "./webhooks";

const MIN_INTERVAL_MS = 30_000;

let evaluationTimer: NodeJS.Timeout | undefined;
let running = false;
let lastStarted = 0;
let retryTimer: NodeJS.Timeout | undefined;

export function scheduleAlertEvaluation(): void {
  if (evaluationTimer) return;
  const wait = Math.max(0, lastStarted + MIN_INTERVAL_MS - Date.now());
  // A background job: its queries run without the request statement timeout.
  evaluationTimer = setTimeout(() => void runInBackground(runEvaluation), wait);
  evaluationTimer.unref();
}

async function runEvaluation() {
  evaluationTimer = undefined;
  if (running) return scheduleAlertEvaluation();
  running = true;
  lastStarted = Date.now();
  try {
    // A fresh production database has no organization until the first admin's setup: nothing to evaluate yet.
    if (!(await db.organization.findUnique({ where: { id: 1 }, select: { id: true } }))) return;
    const result = await evaluateAlerts();
    if (result.opened || result.cleared) log.info("alerts evaluated", { ...result });
    await deliverWebhooks();
  } catch (error) {
    log.error("alert evaluation failed", { error });
  } finally {
    running = false;
  }
}

/** Sends due webhook deliveries, then sets a timer for the next retry so failed deliveries are retried without new ingestion. */
export async function deliverWebhooks(): Promise<void> {
  try {
    await deliverDueWebhooks();
    const next = await nextDeliveryDue();
    if (next && !retryTimer) {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        void runInBackground(deliverWebhooks);
      }, Math.max(1_000, next.getTime() - Date.now()));
      retryTimer.unref();
    }
  } catch (error) {
    log.error("webhook delivery failed", { error });
  }
}
