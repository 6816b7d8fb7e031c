// The admin Jobs page's data: jobs of the queue's table (pg-boss keeps completed ones a day, failed ones a week)
// and the retry of a failed job, audited like every admin action.
import "server-only";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export type JobView = {
  id: string;
  name: string;
  state: JobState;
  /** Runs started so far (a retry of a killed or failed run counts). */
  attempts: number;
  retryLimit: number;
  createdAt: string;
  startAfter: string;
  startedAt: string | null;
  completedAt: string | null;
  lastError: string | null;
};

type Row = Omit<JobView, "createdAt" | "startAfter" | "startedAt" | "completedAt"> & { createdAt: Date; startAfter: Date; startedAt: Date | null; completedAt: Date | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Newest first; pg-boss' internal queues are left out. */
export async function listJobs(filter: { state?: JobState; name?: string; limit?: number } = {}): Promise<JobView[]> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT id::text, name, state::text,
           retry_count + CASE WHEN started_on IS NOT NULL THEN 1 ELSE 0 END AS attempts, retry_limit AS "retryLimit",
           created_on AS "createdAt", start_after AS "startAfter", started_on AS "startedAt", completed_on AS "completedAt",
           CASE WHEN state IN ('failed', 'retry') THEN left(coalesce(output->>'message', output->'value'->>'message'), 2000) END AS "lastError"
    FROM pgboss.job
    WHERE name NOT LIKE '\\_\\_pgboss%'
      ${filter.state ? Prisma.sql`AND state = ${filter.state}::pgboss.job_state` : Prisma.empty}
      ${filter.name ? Prisma.sql`AND name = ${filter.name}` : Prisma.empty}
    ORDER BY created_on DESC, id
    LIMIT ${filter.limit ?? 200}`;
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    startAfter: r.startAfter.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    completedAt: r.completedAt?.toISOString() ?? null,
  }));
}

/** Jobs per state (the page's header). */
export async function countJobs(): Promise<Record<JobState, number>> {
  const rows = await db.$queryRaw<{ state: JobState; n: number }[]>`
    SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name NOT LIKE '\\_\\_pgboss%' GROUP BY state`;
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

/** Puts a failed job back in the queue for one more attempt (pg-boss' own retry: one more allowed run). */
export async function retryJob(caller: Caller, id: string): Promise<JobView> {
  if (!UUID.test(id)) throw new NotFoundError(`No job ${id}`);
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ name: string; state: string }[]>`SELECT name, state::text FROM pgboss.job WHERE id = ${id}::uuid FOR UPDATE`;
    const job = rows[0];
    if (!job) throw new NotFoundError(`No job ${id}`);
    if (job.state !== "failed") throw new ConflictError(`Job ${id} is ${job.state}; only failed jobs can be retried`);
    await tx.$executeRaw`UPDATE pgboss.job SET state = 'retry', retry_limit = retry_limit + 1 WHERE name = ${job.name} AND id = ${id}::uuid`;
    await audit(tx, { actor: caller, action: "job.retry", entity: "job", entityId: id, before: { name: job.name, state: "failed" }, after: { state: "retry" } });
  });
  const [view] = (await listJobs({ limit: 1_000 })).filter((j) => j.id === id);
  return view!;
}
