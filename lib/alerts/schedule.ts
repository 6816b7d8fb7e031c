// Alerts are evaluated after ingestion, not on request: ingestion calls scheduleAlertEvaluation() after each
// committed batch, which enqueues the "alerts.evaluate" job (lib/jobs) at most once per 30 s per instance (and
// the queue deduplicates across instances by a 30 s slot), so ingest latency never depends on it and a failure
// here never fails an ingest. The job also runs every 5 minutes (forecasts move with time alone). Evaluations
// are idempotent and serialized across instances (advisory lock). Webhook deliveries are an outbox
// (webhook_deliveries) sent by the "webhooks.deliver" job: right after an evaluation, at each delivery's retry
// time, and each minute as a sweep.
import "server-only";
import { db } from "@/lib/db";
import { enqueueJob } from "@/lib/jobs/queue";
import { log } from "@/lib/log";
import { sendDueReports } from "./digests";
import { evaluateAlerts } from "./evaluate";
import { deliverDueWebhooks, nextDeliveryDue } from "./webhooks";

const MIN_INTERVAL_MS = 30_000;
let lastQueued = 0;

export function scheduleAlertEvaluation(): void {
  if (Date.now() - lastQueued < MIN_INTERVAL_MS) return;
  lastQueued = Date.now();
  enqueueJob("alerts.evaluate", {}, { singletonKey: "ingest", singletonSeconds: MIN_INTERVAL_MS / 1000 }).catch((error: Error) => {
    lastQueued = 0;
    log.warn("could not queue alert evaluation", { error: error.message });
  });
}

/** The "alerts.evaluate" job. */
export async function evaluateAndNotify(): Promise<void> {
  // A fresh production database has no organization until the first admin's setup: nothing to evaluate yet.
  if (!(await db.organization.findUnique({ where: { id: 1 }, select: { id: true } }))) return;
  const result = await evaluateAlerts();
  if (result.opened || result.cleared) {
    log.info("alerts evaluated", { ...result });
    await enqueueJob("webhooks.deliver");
  }
}

/** The "webhooks.deliver" job: sends due deliveries, then queues itself for the next pending retry. */
export async function deliverWebhooks(): Promise<void> {
  await deliverDueWebhooks();
  const next = await nextDeliveryDue();
  // The 5 s slot merges the follow-ups of deliveries that ran together into one job.
  if (next) await enqueueJob("webhooks.deliver", {}, { startAfter: new Date(Math.max(next.getTime(), Date.now() + 1_000)), singletonKey: "next", singletonSeconds: 5 });
}

/** The "reports.send" job: queues the digests and statements now due, then sends them. */
export async function sendReports(jobId: string): Promise<void> {
  if (!(await db.organization.findUnique({ where: { id: 1 }, select: { id: true } }))) return;
  const queued = await sendDueReports(new Date(), jobId);
  if (queued) {
    log.info("reports queued", { queued });
    await enqueueJob("webhooks.deliver");
  }
}
