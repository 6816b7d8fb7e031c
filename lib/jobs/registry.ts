// Every background job of the app, one entry each. Handlers import their modules lazily, so this list stays
// importable from anywhere (enqueueJob needs the queue options) without pulling the whole app in.
// To add a job: one defineJob(...) entry here; enqueue it with enqueueJob(name, data) or give it a `cron`.
import { defineJob, type JobDefinition } from "./define";

const RECOMPUTE_RETRIES = 5;

export const JOBS: JobDefinition<never>[] = [
  // Pull connectors (and Salesforce syncs, which are connectors): each minute, enqueue one run per due connector.
  defineJob("connectors.tick", async () => (await import("@/lib/connectors/scheduler")).enqueueDueConnectors(), {
    cron: "* * * * *",
    retryLimit: 0,
    expireInSeconds: 120,
  }),
  // One connector run under the connector's lease; deterministic event ids and the checkpoint make a re-run safe.
  defineJob<{ connectorId: number }>("connectors.run", async ({ connectorId }) => (await import("@/lib/connectors/scheduler")).runDueConnector(connectorId), {
    retryLimit: 2,
    retryDelay: 60,
    retryBackoff: true,
    // Longer than the connector's 30-minute lease, so the retry of a killed run finds the lease expired.
    expireInSeconds: 35 * 60,
    concurrency: 2,
  }),
  // A finalized invoice to every Salesforce connection (the push log's external id makes it once per org). A
  // failed push stays in the push log, retried by the connection's next scheduled sync.
  defineJob<{ invoiceId: number }>("salesforce.push-invoice", async ({ invoiceId }) => (await import("@/lib/connectors/salesforce/push")).pushInvoiceToSalesforce(invoiceId), {
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
  }),
  // Budget, forecast and anomaly alerts: after ingestion (throttled) and every 5 minutes, as time alone moves forecasts.
  defineJob("alerts.evaluate", async () => (await import("@/lib/alerts/schedule")).evaluateAndNotify(), {
    cron: "*/5 * * * *",
    retryLimit: 2,
    retryDelay: 30,
    expireInSeconds: 10 * 60,
  }),
  // Rollup fold (lib/rollups/fold.ts): moves the tail that every write path appends to into the folded rollups, a few
  // times a second for the minute until the next run. Reads are exact without it (they add the tail); the fold
  // keeps the tail short. One fold at a time across instances; a run whose instance dies is replaced at the next tick.
  defineJob("rollups.fold", async (_, { signal }) => { await (await import("@/lib/rollups/fold")).foldForAMinute(signal); }, {
    cron: "* * * * *",
    retryLimit: 0,
    expireInSeconds: 120,
  }),
  // Meter rollup (lib/billing/meter-rollup.ts): folds the days whose events, meters or time zone changed, each minute.
  // Rating is exact without it (it reads marked days raw); the fold keeps billing reads short. One fold at a time.
  defineJob("meter.fold", async () => { await (await import("@/lib/billing/meter-rollup")).foldMarkedDays(); }, {
    cron: "* * * * *",
    retryLimit: 2,
    retryDelay: 30,
    expireInSeconds: 35 * 60,
  }),
  // Webhook deliveries due now (the outbox in webhook_deliveries keeps each delivery's own retry schedule).
  defineJob("webhooks.deliver", async () => (await import("@/lib/alerts/schedule")).deliverWebhooks(), {
    cron: "* * * * *",
    retryLimit: 2,
    retryDelay: 10,
    expireInSeconds: 5 * 60,
  }),
  // Scheduled reports (daily and weekly digests, monthly statements): hourly; what is due is decided in the
  // organization's time zone (lib/alerts/digests.ts) and each report is queued once per period and scope.
  defineJob("reports.send", async (_data, job) => (await import("@/lib/alerts/schedule")).sendReports(job.id), {
    cron: "5 * * * *",
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
  }),
  // A recompute run (lib/recompute), batch by batch: each step is one transaction that saves its cursor, so a killed
  // step is retried from the last commit. A job runs batches for up to a minute, then hands the rest to a new job.
  defineJob<{ runId: number }>("recompute.run", async ({ runId }, job) => {
    const { processRecomputeRun, failRecomputeRun } = await import("@/lib/recompute/runs");
    const until = Date.now() + 60_000;
    try {
      while ((await processRecomputeRun(runId)) === "more") {
        if (Date.now() > until) return (await import("./queue")).enqueueJob("recompute.run", { runId });
      }
    } catch (error) {
      // The last attempt marks the run failed (audited) so it does not stay "running" for ever.
      if (job.retryCount >= RECOMPUTE_RETRIES) await failRecomputeRun(runId, error);
      throw error;
    }
  }, { retryLimit: RECOMPUTE_RETRIES, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 }),
  // Events still awaiting an FX rate whose day has one by now: one fx recompute run (lib/currency/sweep.ts), hourly.
  defineJob("fx.sweep", async () => {
    const { unfinished } = await (await import("@/lib/currency/sweep")).sweepFxPending();
    const { enqueueJob } = await import("./queue");
    // Steps of one run serialize on its row, so a duplicate job for a run already queued is harmless.
    for (const runId of unfinished) await enqueueJob("recompute.run", { runId }, { singletonKey: `fx.sweep:${runId}`, singletonSeconds: 3600 });
  }, {
    cron: "7 * * * *",
    retryLimit: 2,
    retryDelay: 60,
    expireInSeconds: 10 * 60,
  }),
  // A FOCUS file import (lib/focus-import/run.ts): the upload is in the database, so any instance runs it. A killed
  // run is retried after its expiry and starts over; event keys make that count nothing twice.
  defineJob<{ importId: number }>("imports.focus", async ({ importId }) => (await import("@/lib/focus-import/run")).processFocusImport(importId), {
    retryLimit: 2,
    retryDelay: 30,
    expireInSeconds: 60 * 60,
  }),
  // Monthly partitions of usage_events ahead of their events, and historic months out of the default partition
  // (lib/partitions.ts; as the owner). Also run at migrate and start-up; daily keeps three months ahead.
  defineJob("partitions.ensure", async () => (await import("@/lib/partitions")).ensureUsagePartitions(), {
    cron: "15 3 * * *",
    retryLimit: 5,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
  }),
  // Raw event retention (lib/retention): archives and/or drops whole months past the organization's setting, after
  // partitions.ensure. Also queued by an admin ("Run now"). A killed run changed nothing for its month (drop and
  // record commit together) and the retry redoes it; months already removed are not in the plan any more.
  defineJob<{ actor?: string }>("retention.run", async ({ actor }) => (await import("@/lib/retention/run")).runRetention({ actor: actor ?? "system" }), {
    cron: "45 3 * * *",
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 3 * 60 * 60,
  }),
  // OTLP traces whose last span is older than TRACE_SETTLE_SECONDS are marked settled; a later span's correction
  // is then flagged as an adjustment (lib/formats/traces.ts). Idempotent: a re-run marks nothing new.
  defineJob("traces.settle", async () => { await (await import("@/lib/formats/traces")).settleTraces(); }, {
    cron: "* * * * *",
    retryLimit: 2,
    retryDelay: 30,
    expireInSeconds: 5 * 60,
  }),
];
