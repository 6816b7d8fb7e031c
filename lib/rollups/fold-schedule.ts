// When the rollups.fold job folds (lib/rollups/fold.ts). Folding costs about as much CPU per row as ingesting, so
// during a burst (the tail grows faster than burstRowsPerSecond) the fold waits until the tail holds burstTailRows:
// the batches clients wait on get the machine, and the fold catches up when the burst ends. Reads stay exact either
// way (they add the tail); a longer tail only makes them slower (bench:ingest measures both). Past the tail limit
// ingestion itself waits (lib/ingest/admission.ts).
export const FOLD_SCHEDULE = { intervalMs: 250, burstRowsPerSecond: 2_000, burstTailRows: 200_000 };

/** A look at the tail: the rows it holds, the ids appends have drawn so far, and when (ms, monotonic). */
export type TailLook = { rows: number; appended: bigint; at: number };

/** Whether the fold waits this tick, from the previous look and this one. */
export function foldWaits(previous: TailLook, current: TailLook, schedule = FOLD_SCHEDULE): boolean {
  const appendedPerSecond = (Number(current.appended - previous.appended) * 1000) / Math.max(1, current.at - previous.at);
  return appendedPerSecond > schedule.burstRowsPerSecond && current.rows < schedule.burstTailRows;
}
