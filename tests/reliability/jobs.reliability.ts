// The job queue across instances (tests/reliability/instances.ts): two worker instances on one database.
// (a) A job whose instance is SIGKILLed mid-run — before its effect, or after the effect committed but before the
//     job was marked done — is retried after its expiry and takes effect exactly once.
// (b) Cron jobs run once per schedule tick across the two instances, also across a SIGKILL of one of them.
// Kills happen at progress points (an attempt reached its hold point), never after a fixed delay.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pool } from "@/lib/db";
import { enqueueJob, registerJobs, stopWorker } from "@/lib/jobs";
import { Instances } from "./instances";
import { RELIABILITY_JOBS, RELIABILITY_TABLES_SQL } from "./jobs";
import { waitFor } from "./helpers";

const instances = new Instances({ databaseUrl: process.env.DATABASE_URL!, kind: "worker", label: "jobs" });

beforeAll(async () => {
  await pool.query(RELIABILITY_TABLES_SQL);
  registerJobs(RELIABILITY_JOBS);
  await instances.startAll(2);
});

afterAll(async () => {
  await stopWorker(1_000);
  await instances.stopAll();
});

const jobRow = async (id: string) =>
  (await pool.query<{ state: string; retry_count: number }>("SELECT state::text, retry_count FROM pgboss.job WHERE id = $1", [id])).rows[0];

describe("a job SIGKILLed mid-run", () => {
  for (const holdAt of ["before", "after"] as const) {
    test(`killed ${holdAt} its effect committed: retried after restart, effect exactly once`, async () => {
      const key = `kill-${holdAt}`;
      const id = (await enqueueJob("reliability.effect", { key, holdAt }))!;
      // Progress point: the first attempt reached its hold (the effect's commit, for "after").
      const first = await waitFor("the first attempt to reach its hold point", async () =>
        (await pool.query<{ pid: number }>("SELECT pid FROM reliability_attempts WHERE job_id = $1 AND attempt = 0 AND step = $2", [id, holdAt === "before" ? "started" : "effect"])).rows[0], 90_000);
      const victim = instances.byPid(first.pid);
      expect(victim, "the attempt ran in one of the instances").toBeDefined();
      await instances.kill(victim!.index);
      // Nobody finished it: still active, held by the dead instance until it expires.
      expect((await jobRow(id))!.state).toBe("active");
      await instances.start(victim!.index);

      await waitFor("the job to complete", async () => (await jobRow(id))?.state === "completed", 90_000);
      const effects = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM reliability_effects WHERE key = $1", [key]);
      expect(effects.rows[0]!.n).toBe(1);
      const attempts = await pool.query<{ attempt: number; step: string; pid: number }>("SELECT attempt, step, pid FROM reliability_attempts WHERE job_id = $1 ORDER BY at", [id]);
      const later = attempts.rows.filter((a) => a.attempt > 0);
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((a) => a.pid !== first.pid)).toBe(true);
      // The retry found the effect done ("after") or did it itself ("before").
      expect(later.at(-1)!.step).toBe(holdAt === "after" ? "effect-skipped" : "effect");
      expect((await jobRow(id))!.retry_count).toBeGreaterThanOrEqual(1);
      console.log(`[reliability] jobs: killed ${holdAt} effect: ${JSON.stringify(attempts.rows)}`);
    }, 180_000);
  }
});

describe("cron across instances", () => {
  test("two instances run each scheduled job once per tick, also across a SIGKILL of one", async () => {
    const ticks = async () =>
      (await pool.query<{ minute: string; n: number }>(
        "SELECT date_trunc('minute', j.created_on)::text AS minute, count(*)::int AS n FROM reliability_ticks t JOIN pgboss.job j ON j.id::text = t.job_id GROUP BY 1 ORDER BY 1",
      )).rows;
    // Progress-driven: wait for the first tick, kill the instance that ran it, then wait for two more ticks.
    const first = await waitFor("a first cron tick", async () => (await pool.query<{ pid: number }>("SELECT pid FROM reliability_ticks ORDER BY at LIMIT 1")).rows[0], 150_000);
    const victim = instances.byPid(first.pid)!;
    await instances.kill(victim.index);
    await instances.start(victim.index);
    await waitFor("three cron ticks", async () => (await ticks()).length >= 3, 200_000);
    // Grouped by when each job was enqueued (the tick), not by pg-boss' dedupe slot.
    const rows = await ticks();
    expect(rows.every((r) => r.n === 1), JSON.stringify(rows)).toBe(true);
    // Every run is its own job: no job ran twice.
    const runs = await pool.query<{ n: number; jobs: number }>("SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS jobs FROM reliability_ticks");
    expect(runs.rows[0]!.n).toBe(runs.rows[0]!.jobs);
    // The app's own cron jobs too: one job per name and minute.
    const app = await pool.query<{ name: string; minute: string; n: number }>(
      "SELECT name, date_trunc('minute', created_on)::text AS minute, count(*)::int AS n FROM pgboss.job WHERE name IN ('connectors.tick', 'webhooks.deliver') AND singleton_key = 'cron' GROUP BY 1, 2 HAVING count(*) > 1",
    );
    expect(app.rows).toEqual([]);
    console.log(`[reliability] jobs: cron ticks ${JSON.stringify(rows)}`);
  }, 420_000);
});
