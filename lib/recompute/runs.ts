// Recompute runs: created (and audited) by an admin, then advanced one batch per processRecomputeRun call. The run
// row holds the cursor and the accumulated delta, written in the batch's own transaction, so a step is idempotent
// and a run resumes where its last committed batch ended after any crash.
import "server-only";
import { audit } from "@/lib/audit";
import { callerLabel, type Caller } from "@/lib/auth/caller";
import { db, inTransaction } from "@/lib/db";
import { log } from "@/lib/log";
import { NotFoundError } from "@/lib/api/errors";
import { assertRetained, retainedPart } from "@/lib/retention/boundary";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isRetryable, previewSelection, progressAfter, recomputeBatch, type Delta, type Predicate, type Progress, type Selection } from "./engine";
import type { KindName } from "./kinds";

export type RunInput = { kind: KindName; from: Date; to: Date; predicate: Predicate; reason: string; batchSize?: number };

type RunRow = {
  id: number;
  kind: KindName;
  status: string;
  range_from: Date;
  range_to: Date;
  predicate: Predicate;
  batch_size: number;
  cursor_ts: Date | null;
  cursor_id: string | null;
  events_scanned: string;
  events_changed: string;
  events_finalized: string;
  delta: Delta | Record<string, never>;
  actor: string;
  actor_id: number | null;
  reason: string;
};

/** An admin's explicit range must lie within the retained raw events (409 otherwise, lib/retention/boundary.ts). */
export async function previewRun(input: Omit<RunInput, "reason" | "batchSize">): Promise<Progress> {
  await assertRetained("A recompute", input.from);
  return previewSelection(input);
}

/** Creates the run (audited with who, why, range and predicate); processRecomputeRun then does the work. */
export async function createRecomputeRun(caller: Caller, input: RunInput): Promise<{ id: number }> {
  await assertRetained("A recompute", input.from);
  return db.$transaction((tx) => insertRecomputeRun(tx, caller, input));
}

/** createRecomputeRun inside the caller's transaction (e.g. with the price changes it re-costs); caller null: a scheduled job. */
export async function insertRecomputeRun(tx: Prisma.TransactionClient, caller: Caller | null, input: RunInput): Promise<{ id: number }> {
  // Derived ranges (re-costing after price changes, re-conversion after FX rates) reach only retained raw events.
  const range = await retainedPart({ from: input.from, to: input.to });
  const run = await tx.recomputeRun.create({
    data: {
      kind: input.kind,
      reason: input.reason,
      actor: caller ? callerLabel(caller) : "system",
      actorId: caller?.kind === "user" ? caller.id : null,
      rangeFrom: range.from,
      rangeTo: range.to,
      predicate: input.predicate,
      batchSize: input.batchSize ?? 1000,
    },
  });
  await audit(tx, {
    actor: caller,
    action: "recompute.start",
    entity: "recompute_run",
    entityId: run.id,
    after: { kind: run.kind, reason: run.reason, from: run.rangeFrom, to: run.rangeTo, predicate: run.predicate },
  });
  return { id: run.id };
}

/**
 * Does one batch of the run and returns "more" while events remain, "done" once the run has finished (also for a
 * run already done or failed, so a repeated call is harmless). The job queue calls it until "done".
 */
export async function processRecomputeRun(runId: number): Promise<"more" | "done"> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await stepOnce(runId);
    } catch (error) {
      if (!isRetryable(error) || attempt >= 5) throw error;
      log.warn("recompute batch retried", { runId, attempt, code: (error as { code?: string }).code });
    }
  }
}

async function stepOnce(runId: number): Promise<"more" | "done"> {
  return inTransaction(async (client) => {
    // Serializes steps of one run (two workers, a retry racing the original) on its row.
    const { rows } = await client.query<RunRow>(
      `SELECT id, kind, status, range_from, range_to, predicate, batch_size, cursor_ts, cursor_id::text, events_scanned::text,
         events_changed::text, events_finalized::text, delta, actor, actor_id, reason
       FROM recompute_runs WHERE id = $1 FOR UPDATE`,
      [runId],
    );
    const run = rows[0];
    if (!run) throw new NotFoundError(`recompute run ${runId} not found`);
    if (run.status === "done" || run.status === "failed") {
      return "done";
    }
    const sel: Selection = { kind: run.kind, from: run.range_from, to: run.range_to, predicate: run.predicate };
    const cursor = run.cursor_ts && run.cursor_id ? { ts: run.cursor_ts, id: run.cursor_id } : null;
    const batch = await recomputeBatch(client, sel, cursor, run.batch_size);
    const before: Progress = {
      scanned: Number(run.events_scanned),
      changed: Number(run.events_changed),
      finalized: Number(run.events_finalized),
      delta: "total" in run.delta ? (run.delta as Delta) : { total: "0", byDepartment: {}, byCustomer: {} },
    };
    const after = progressAfter(before, batch);
    const done = batch.events.length < run.batch_size;
    await client.query(
      `UPDATE recompute_runs SET status = $2, cursor_ts = $3, cursor_id = $4, batches_done = batches_done + 1,
         events_scanned = $5, events_changed = $6, events_finalized = $7, delta = $8,
         started_at = coalesce(started_at, now()), finished_at = CASE WHEN $2 = 'done' THEN now() END
       WHERE id = $1`,
      [runId, done ? "done" : "running", batch.cursor?.ts ?? null, batch.cursor?.id ?? null, after.scanned, after.changed, after.finalized, JSON.stringify(after.delta)],
    );
    if (done) {
      // The completion record commits with the last batch (audit() is Prisma's; this client is the batch's).
      await client.query(
        `INSERT INTO audit_logs (actor_id, actor, action, entity, entity_id, after) VALUES ($1, $2, 'recompute.complete', 'recompute_run', $3, $4)`,
        [run.actor_id, run.actor, String(runId), JSON.stringify({ reason: run.reason, eventsScanned: after.scanned, eventsChanged: after.changed, eventsInFinalizedPeriods: after.finalized, delta: after.delta })],
      );
    }
    return done ? "done" : "more";
  });
}

/** Marks a run failed with its error (the runner gave up on it); audited. */
export async function failRecomputeRun(runId: number, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.$transaction(async (tx) => {
    await tx.recomputeRun.update({ where: { id: runId }, data: { status: "failed", error: message.slice(0, 2000), finishedAt: new Date() } });
    await audit(tx, { actor: null, action: "recompute.fail", entity: "recompute_run", entityId: runId, after: { error: message } });
  });
}

const RUN_FIELDS = {
  id: true, kind: true, status: true, reason: true, actor: true, rangeFrom: true, rangeTo: true, predicate: true,
  batchSize: true, batchesDone: true, eventsScanned: true, eventsChanged: true, eventsFinalized: true, delta: true,
  error: true, createdAt: true, startedAt: true, finishedAt: true,
} as const;

type RunRecord = Awaited<ReturnType<typeof db.recomputeRun.findFirstOrThrow<{ select: typeof RUN_FIELDS }>>>;

function present(run: RunRecord) {
  return {
    ...run,
    rangeFrom: run.rangeFrom.toISOString(),
    rangeTo: run.rangeTo.toISOString(),
    eventsScanned: Number(run.eventsScanned),
    eventsChanged: Number(run.eventsChanged),
    eventsFinalized: Number(run.eventsFinalized),
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export type RecomputeRunView = ReturnType<typeof present>;

export async function listRecomputeRuns(limit = 50): Promise<RecomputeRunView[]> {
  const runs = await db.recomputeRun.findMany({ select: RUN_FIELDS, orderBy: { id: "desc" }, take: limit });
  return runs.map(present);
}

export async function getRecomputeRun(id: number): Promise<RecomputeRunView> {
  const run = await db.recomputeRun.findUnique({ select: RUN_FIELDS, where: { id } });
  if (!run) throw new NotFoundError(`recompute run ${id} not found`);
  return present(run);
}
