// The job queue as the app role (no DDL): queues created through the migration's SECURITY DEFINER function, jobs
// enqueued and worked, a failure retried with its error kept, singleton keys deduplicate, once() takes effect
// exactly once even when two runs race, and the app role still cannot create a table in the queue's schema.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appRoleUrl } from "@/scripts/lib/app-role";

const ownerUrl = process.env.DATABASE_URL!;
// Everything below runs as agentledger_app, as the app does in production.
process.env.DATABASE_URL = appRoleUrl(ownerUrl);
process.env.JOBS_POLL_SECONDS = "0.5";
const { pool } = await import("@/lib/db");
const { defineJob, enqueueJob, once, registerJobs, startWorker, stopWorker } = await import("@/lib/jobs");
const { listJobs, retryJob } = await import("@/lib/jobs/admin");

const owner = new pg.Pool({ connectionString: ownerUrl, max: 4 });
let flaky = 2;
const seen: string[] = [];

beforeAll(async () => {
  await owner.query("CREATE TABLE test_effects (key text, n int)");
  await owner.query("GRANT SELECT, INSERT ON test_effects TO agentledger_app");
  registerJobs([
    defineJob<{ key: string }>("test.effect", async ({ key }, job) => {
      await once(`test:${key}`, job.id, async (tx) => {
        await tx.$executeRaw`INSERT INTO test_effects (key, n) VALUES (${key}, 1)`;
      });
    }, { retryLimit: 0 }),
    defineJob("test.flaky", async (_data, job) => {
      seen.push(`attempt ${job.retryCount}`);
      if (flaky-- > 0) throw new Error(`flaky failure ${job.retryCount}`);
    }, { retryLimit: 3, retryDelay: 1 }),
    defineJob("test.broken", async () => {
      throw new Error("always broken");
    }, { retryLimit: 0 }),
  ] as never);
  await startWorker();
});

afterAll(async () => {
  await stopWorker(1_000);
  await owner.end();
});

async function state(id: string) {
  return (await owner.query<{ state: string; retry_count: number; output: unknown }>("SELECT state, retry_count, output FROM pgboss.job WHERE id = $1", [id])).rows[0];
}

describe("job queue", () => {
  test("the app role runs the queue but cannot create tables in its schema", async () => {
    await expect(pool.query("CREATE TABLE pgboss.mine (x int)")).rejects.toThrow(/permission denied/);
    await expect(pool.query("SELECT pgboss.delete_queue('test.effect')")).rejects.toThrow(/permission denied/);
    const queues = await owner.query<{ name: string }>("SELECT name FROM pgboss.queue ORDER BY name");
    expect(queues.rows.map((r) => r.name)).toEqual(expect.arrayContaining(["alerts.evaluate", "connectors.run", "connectors.tick", "salesforce.push-invoice", "test.effect", "webhooks.deliver"]));
    // Partitions the app created through create_queue belong to the owner, not to the app role.
    const owners = await owner.query<{ owner: string }>("SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'pgboss'::regnamespace AND relkind = 'r'");
    expect(owners.rows.map((r) => r.owner)).not.toContain("agentledger_app");
  });

  test("a failing job is retried with backoff until it succeeds", async () => {
    const id = (await enqueueJob("test.flaky"))!;
    await expect.poll(async () => (await state(id))?.state, { timeout: 20_000, interval: 250 }).toBe("completed");
    expect(seen).toEqual(["attempt 0", "attempt 1", "attempt 2"]);
    expect((await state(id))!.retry_count).toBe(2);
  });

  test("a singleton key deduplicates within its slot", async () => {
    const first = await enqueueJob("test.effect", { key: "single" }, { singletonKey: "k", singletonSeconds: 600 });
    const second = await enqueueJob("test.effect", { key: "single" }, { singletonKey: "k", singletonSeconds: 600 });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
  });

  test("once(): many runs of one effect, some concurrent, take effect once", async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, () => enqueueJob("test.effect", { key: "dup" })));
    await Promise.all(ids.map((id) => expect.poll(async () => (await state(id!))?.state, { timeout: 20_000, interval: 250 }).toBe("completed")));
    const rows = await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM test_effects WHERE key = 'dup'");
    expect(rows.rows[0]!.n).toBe(1);
  });

  test("a failed job is listed with its error and can be retried", async () => {
    const id = (await enqueueJob("test.broken"))!;
    await expect.poll(async () => (await state(id))?.state, { timeout: 20_000, interval: 250 }).toBe("failed");
    const failed = await listJobs({ state: "failed" });
    const row = failed.find((j) => j.id === id);
    expect(row).toMatchObject({ name: "test.broken", state: "failed", attempts: 1, lastError: "always broken" });
    const admin = { kind: "user", id: 1, email: "a@test", name: "A", role: "admin", departmentIds: null } as const;
    await owner.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'a@test', 'A', 'admin', now()) ON CONFLICT DO NOTHING");
    await retryJob(admin, id);
    await expect.poll(async () => (await state(id))?.state, { timeout: 20_000, interval: 250 }).toBe("failed");
    expect((await state(id))!.retry_count).toBe(1);
    const audit = await owner.query("SELECT action, entity_id FROM audit_logs WHERE action = 'job.retry'");
    expect(audit.rows).toEqual([{ action: "job.retry", entity_id: id }]);
    // Only a failed job can be retried.
    const done = (await enqueueJob("test.effect", { key: "done" }))!;
    await expect.poll(async () => (await state(done))?.state, { timeout: 20_000, interval: 250 }).toBe("completed");
    await expect(retryJob(admin, done)).rejects.toMatchObject({ status: 409 });
    await expect(retryJob(admin, "00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ status: 404 });
  });

  test("an unknown job name is refused", async () => {
    await expect(enqueueJob("no.such-job")).rejects.toThrow(/unknown job/);
  });
});
