// The retention API behind /api/v1/retention: the dry run (what the next run would remove, changing nothing) with
// past runs, and "Run now" (the same job the daily schedule queues, audited).
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { enqueueJob } from "@/lib/jobs";
import { callerLabel } from "@/lib/auth/caller";
import { rawEventsFrom } from "./boundary";
import { retentionPlan } from "./plan";
import type { retentionView } from "./schemas";

export async function retentionOverview(): Promise<z.output<typeof retentionView>> {
  const [plan, from, runs] = await Promise.all([
    retentionPlan(pool),
    rawEventsFrom(),
    db.retentionRun.findMany({ orderBy: { id: "desc" }, take: 50 }),
  ]);
  return {
    ...plan.settings,
    rawEventsFrom: from?.toISOString() ?? null,
    dryRun: {
      cutoff: plan.cutoff?.toISOString() ?? null,
      months: plan.months.map((m) => ({
        month: m.month, from: m.from.toISOString(), to: m.to.toISOString(), rows: m.rows, rowsExact: m.rowsExact, bytes: m.bytes, status: m.status, heldBy: m.heldBy,
      })),
    },
    runs: runs.map((r) => ({
      id: r.id,
      month: r.month.toISOString().slice(0, 7),
      mode: r.mode as "drop" | "archive",
      status: r.status as "running" | "done" | "failed" | "restored",
      rows: Number(r.rows),
      bytes: Number(r.bytes),
      file: r.file,
      sha256: r.sha256,
      actor: r.actor,
      error: r.error,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
    })),
  };
}

/** Queues a retention run now (one at a time: a request while one is queued within the minute joins it). */
export async function requestRetentionRun(caller: Caller): Promise<{ jobId: string | null }> {
  const jobId = await enqueueJob("retention.run", { actor: callerLabel(caller) }, { singletonKey: "retention.run", singletonSeconds: 60 });
  await db.$transaction((tx) => audit(tx, { actor: caller, action: "retention.run_request", entity: "retention_run", entityId: jobId, after: { jobId } }));
  return { jobId };
}
