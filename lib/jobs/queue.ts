// The app's job queue: pg-boss 10 on the app's own database (schema `pgboss`, created by the migration
// 20261202010000_job_queue, so this role needs no DDL). enqueueJob() from anywhere; startWorker() once per app
// instance (instrumentation.ts) runs every registered job, the cron schedules and pg-boss' maintenance (which
// retries jobs whose instance died once their expireInSeconds passed). Every instance may run a worker: pg-boss
// hands each job to one of them (SELECT … FOR UPDATE SKIP LOCKED) and enqueues each cron tick once.
import "server-only";
import PgBoss from "pg-boss";
import { pool, runInBackground } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { JobDefinition, JobOptions } from "./define";
import { JOBS } from "./registry";

const SCHEMA = "pgboss";

type State = { boss?: Promise<PgBoss>; working: boolean; definitions: Map<string, JobDefinition<never>>; stopping?: AbortController };
const globalForJobs = globalThis as unknown as { agentledgerJobs?: State };
const state: State = (globalForJobs.agentledgerJobs ??= { working: false, definitions: new Map(JOBS.map((j) => [j.name, j])) });

function queueOptions(o: JobOptions): PgBoss.Queue & { name: string } {
  return {
    name: "",
    policy: "standard",
    retryLimit: o.retryLimit ?? 3,
    retryDelay: o.retryDelay ?? 10,
    retryBackoff: o.retryBackoff ?? false,
    expireInSeconds: o.expireInSeconds ?? 600,
  };
}

async function open(working: boolean): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: env().DATABASE_URL,
    schema: SCHEMA,
    application_name: "agentledger-jobs",
    max: working ? 4 : 2,
    migrate: false,
    // Maintenance (expiry, archiving) and cron run only where a worker runs; pg-boss lets one instance at a time do each.
    supervise: working,
    schedule: working,
    maintenanceIntervalSeconds: env().JOBS_MAINTENANCE_SECONDS,
    // Completed jobs stay listable on the admin Jobs page for a day, failed ones for a week (for their retry button).
    archiveCompletedAfterSeconds: 86_400,
    archiveFailedAfterSeconds: 7 * 86_400,
    deleteAfterDays: 7,
  });
  boss.on("error", (error: Error) => log.warn("job queue error", { error: error.message }));
  await ensureQueues();
  await boss.start();
  return boss;
}

/**
 * Creates missing queues (pgboss.create_queue, SECURITY DEFINER: see the migration) and refreshes every queue's
 * options, in one transaction under an advisory lock: instances starting together would otherwise deadlock
 * attaching their queue partitions to pgboss.job.
 */
async function ensureQueues(): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext('agentledger.jobs.queues'))");
    // pg-boss' own queue for cron hand-offs (it creates it too, at start, without the lock).
    await client.query("SELECT pgboss.create_queue('__pgboss__send-it', '{\"policy\":\"standard\"}'::json)");
    for (const [name, def] of state.definitions) {
      const o = { ...queueOptions(def.options), name };
      await client.query("SELECT pgboss.create_queue($1, $2::json)", [name, JSON.stringify(o)]);
      await client.query(
        "UPDATE pgboss.queue SET retry_limit = $2, retry_delay = $3, retry_backoff = $4, expire_seconds = $5, updated_on = now() WHERE name = $1",
        [name, o.retryLimit, o.retryDelay, o.retryBackoff, o.expireInSeconds],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function boss(): Promise<PgBoss> {
  if (!state.boss) {
    const opening = open(state.working);
    state.boss = opening;
    // A failed start is forgotten, so the next call tries again (e.g. once the database is back).
    opening.catch(() => {
      if (state.boss === opening) state.boss = undefined;
    });
  }
  return state.boss;
}

export type EnqueueOptions = {
  /** With singletonSeconds: at most one job per key in each slot of that many seconds (a throttle / dedupe key). */
  singletonKey?: string;
  singletonSeconds?: number;
  /** Not before this time. */
  startAfter?: Date;
};

/** Queues a registered job; returns its id, or null when a singleton key deduplicated it. */
export async function enqueueJob(name: string, data: object = {}, options: EnqueueOptions = {}): Promise<string | null> {
  if (!state.definitions.has(name)) throw new Error(`unknown job "${name}": add it to lib/jobs/registry.ts`);
  return (await boss()).send(name, data, {
    singletonKey: options.singletonKey,
    singletonSeconds: options.singletonSeconds,
    startAfter: options.startAfter,
  });
}

/** Adds jobs beyond the registry (test workers and the reliability harness); call before the queue is first used. */
export function registerJobs(defs: JobDefinition<never>[]): void {
  for (const def of defs) state.definitions.set(def.name, def);
}

/**
 * Starts this process's worker: every registered job, and the cron schedules. Idempotent. Called by
 * instrumentation.ts unless JOBS_WORKER=off.
 */
export async function startWorker(): Promise<void> {
  if (state.working) return;
  if (state.boss) await stopWorker(); // an enqueue-only connection opened earlier
  state.working = true;
  const stopping = (state.stopping = new AbortController());
  const b = await boss();
  for (const def of state.definitions.values()) {
    for (let i = 0; i < (def.options.concurrency ?? 1); i++) {
      await b.work<object>(def.name, { batchSize: 1, pollingIntervalSeconds: env().JOBS_POLL_SECONDS, includeMetadata: true }, async ([job]) => {
        if (!job) return;
        try {
          return await runInBackground(() => def.handler(job.data as never, { id: job.id, name: job.name, retryCount: job.retryCount, signal: stopping.signal }));
        } catch (error) {
          log.warn("job failed", { job: job.name, id: job.id, attempt: job.retryCount + 1, error: (error as Error).message });
          throw error;
        }
      });
    }
    const off = def.name === "connectors.tick" && env().CONNECTOR_SCHEDULER === "off";
    // The slot makes a tick's job unique even if pg-boss' internal hand-off ran twice.
    if (def.options.cron && !off) await b.schedule(def.name, def.options.cron, {}, { tz: "UTC", singletonKey: "cron", singletonSeconds: 60 });
    else await b.unschedule(def.name);
  }
  log.info("job worker started", { jobs: state.definitions.size });
}

/** Stops taking jobs, waits up to `timeoutMs` for running ones, closes the queue's connections. */
export async function stopWorker(timeoutMs = 20_000): Promise<void> {
  state.stopping?.abort();
  const current = state.boss;
  state.boss = undefined;
  state.working = false;
  if (!current) return;
  await (await current.catch(() => undefined))?.stop({ graceful: true, wait: true, close: true, timeout: timeoutMs });
}
