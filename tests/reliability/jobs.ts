// Test-only jobs for the reliability harness, registered by its worker processes (job-worker.ts) and by the
// test that enqueues them. Every attempt is logged to reliability_attempts (committed at once, so a test can
// wait for "attempt started" or "effect committed" and kill right then: progress-driven, not clock-driven).
import { pool } from "@/lib/db";
import { defineJob, once, type JobDefinition } from "@/lib/jobs";

/** Tables the jobs write; created by the test (owner) and granted to the app role. */
export const RELIABILITY_TABLES_SQL = `
  CREATE TABLE IF NOT EXISTS reliability_attempts (key text, job_id text, attempt int, step text, pid int, at timestamptz DEFAULT clock_timestamp());
  CREATE TABLE IF NOT EXISTS reliability_effects (key text, job_id text, pid int);
  CREATE TABLE IF NOT EXISTS reliability_ticks (job_id text, pid int, at timestamptz DEFAULT clock_timestamp());
  GRANT SELECT, INSERT ON reliability_attempts, reliability_effects, reliability_ticks TO agentledger_app`;

const HOLD_MS = 10 * 60_000;
const step = (key: string, jobId: string, attempt: number, name: string) =>
  pool.query("INSERT INTO reliability_attempts (key, job_id, attempt, step, pid) VALUES ($1, $2, $3, $4, $5)", [key, jobId, attempt, name, process.pid]);
const hold = () => new Promise((r) => setTimeout(r, HOLD_MS));

export const RELIABILITY_JOBS = [
  // One effect, exactly once. The first attempt stops and waits (to be SIGKILLed) at `holdAt`: "before" the
  // effect's transaction, or "after" it committed (the job not yet marked completed). Expiry 5 s: a killed
  // attempt comes back after 5 s plus one maintenance pass.
  defineJob<{ key: string; holdAt: "before" | "after" }>("reliability.effect", async ({ key, holdAt }, job) => {
    const first = job.retryCount === 0;
    await step(key, job.id, job.retryCount, "started");
    if (first && holdAt === "before") await hold();
    const ran = await once(`reliability:${key}`, job.id, async (tx) => {
      await tx.$executeRaw`INSERT INTO reliability_effects (key, job_id, pid) VALUES (${key}, ${job.id}, ${process.pid})`;
    });
    await step(key, job.id, job.retryCount, ran ? "effect" : "effect-skipped");
    if (first && holdAt === "after") await hold();
  }, { retryLimit: 3, retryDelay: 1, expireInSeconds: 5 }),
  // A cron job: one row per run, to count runs per minute across instances.
  defineJob("reliability.tick", async (_data, job) => {
    await pool.query("INSERT INTO reliability_ticks (job_id, pid) VALUES ($1, $2)", [job.id, process.pid]);
  }, { cron: "* * * * *", retryLimit: 0 }),
] as JobDefinition<never>[];
