// Re-costing (issue 17 item 6): pending price changes (price_changes with recosted_at null) are turned into one
// recompute run of kind `reprice` over exactly the stored model ids and the time range they can affect. An admin
// sees the engine's preview (money delta per department and customer, events changed) and applies it with a
// reason; the run and the marks on the price changes commit together. Nothing re-costs automatically: finance
// sees the delta before money moves (README "Pricing", "Re-costing").
import "server-only";
import { audit } from "@/lib/audit";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { previewSelection, type Predicate, type Progress } from "@/lib/recompute/engine";
import { insertRecomputeRun } from "@/lib/recompute/runs";
import { loadPriceBook } from "./book";
import { modelForms, type PriceBook } from "./match";

export type PriceChangeRow = {
  id: bigint;
  kind: string;
  models: string[];
  allModels: boolean;
  provider: string | null;
  rangeFrom: Date;
  rangeTo: Date | null;
  actor: string | null;
  createdAt: Date;
};

export type RecostScope = { from: Date; to: Date; predicate: Predicate };

const HOUR = 3_600_000;

/** Does a stored model id fall under a change? By the id itself (aliases), by any of its normalised forms (a
 * family, a manual row — also the ones deleted, whose events priced by them must move), or by what it resolves to
 * now (a catalog rule, an alias to the model, a provider-wide discount). */
function related(id: string, change: PriceChangeRow, book: PriceBook): boolean {
  const names = new Set(change.models.map((m) => m.toLowerCase()));
  if (names.has(id.trim().toLowerCase())) return true;
  if (modelForms(id).some((f) => names.has(f.id))) return true;
  const now = book.resolve(id);
  if (now && names.has(now.model.model.toLowerCase())) return true;
  if (change.allModels && change.provider) return now?.model.provider === change.provider || (!now && book.providerOf(id) === change.provider);
  return false;
}

/**
 * Which stored events the changes can re-cost: the model ids events carry (read from the hourly rollup, whose
 * buckets bound each id's events in time) that relate to a change, over the union of the changes' ranges narrowed
 * to where those ids occur. A catalog update (every model) selects all ids in its range. null = no stored event.
 * The selection may be wider than what actually changes: the reprice kind leaves events whose cost is the same.
 */
export async function recostScope(changes: PriceChangeRow[]): Promise<RecostScope | null> {
  if (changes.length === 0) return null;
  const from = changes.map((c) => c.rangeFrom).reduce((a, b) => (a < b ? a : b));
  const to = changes.some((c) => c.rangeTo === null) ? null : changes.map((c) => c.rangeTo!).reduce((a, b) => (a > b ? a : b));
  // A bucket starts at most an hour before its events; a bucket starting at `to` or later holds none in range.
  const { rows } = await pool.query<{ model: string; first: Date; last: Date }>(
    `SELECT model, min(bucket) AS first, max(bucket) AS last FROM usage_rollup_hourly
     WHERE model <> '' AND bucket > $1::timestamptz - interval '1 hour' AND ($2::timestamptz IS NULL OR bucket < $2)
     GROUP BY model`,
    [from, to],
  );
  const everything = changes.some((c) => c.allModels && !c.provider);
  const book = everything ? null : await loadPriceBook(pool);
  const hits = book ? rows.filter((r) => changes.some((c) => related(r.model, c, book))) : rows;
  if (hits.length === 0) return null;
  const first = Math.min(...hits.map((r) => r.first.getTime()));
  const last = Math.max(...hits.map((r) => r.last.getTime())) + HOUR;
  return {
    from: new Date(Math.max(from.getTime(), first)),
    to: new Date(to === null ? last : Math.min(to.getTime(), last)),
    predicate: everything ? {} : { models: hits.map((r) => r.model).sort() },
  };
}

const FIELDS = { id: true, kind: true, models: true, allModels: true, provider: true, rangeFrom: true, rangeTo: true, actor: true, createdAt: true } as const;

function present(c: PriceChangeRow) {
  return { ...c, id: Number(c.id), rangeFrom: c.rangeFrom.toISOString(), rangeTo: c.rangeTo?.toISOString() ?? null, createdAt: c.createdAt.toISOString() };
}

function presentScope(s: RecostScope | null) {
  return s && { from: s.from.toISOString(), to: s.to.toISOString(), predicate: s.predicate };
}

/** Price changes not yet re-costed (oldest first, at most 500), with the scope and preview of re-costing them all. */
export async function pendingRecost(): Promise<{
  changes: ReturnType<typeof present>[];
  scope: ReturnType<typeof presentScope>;
  preview: Progress | null;
}> {
  const changes = await db.priceChange.findMany({ select: FIELDS, where: { recostedAt: null }, orderBy: { id: "asc" }, take: 500 });
  const scope = await recostScope(changes);
  const preview = scope ? await previewSelection({ kind: "reprice", ...scope }) : null;
  return { changes: changes.map(present), scope: presentScope(scope), preview };
}

/**
 * Re-costs the named pending changes: one reprice run over their scope (or none when no stored event is affected),
 * created, audited and linked to the changes (recosted_at, recompute_run_id) in one transaction. The caller queues
 * the run (`recompute.run` job). A change already re-costed, or re-costed concurrently, is a 409.
 */
export async function applyRecost(caller: Caller, input: { changes: number[]; reason: string }): Promise<{ runId: number | null; changes: number[]; scope: ReturnType<typeof presentScope> }> {
  const ids = [...new Set(input.changes)].map(BigInt);
  const found = await db.priceChange.findMany({ select: { ...FIELDS, recostedAt: true }, where: { id: { in: ids } } });
  const missing = ids.filter((id) => !found.some((c) => c.id === id));
  if (missing.length) throw new NotFoundError(`No such price change: ${missing.join(", ")}`);
  const done = found.filter((c) => c.recostedAt !== null);
  if (done.length) throw new ConflictError(`Already re-costed: ${done.map((c) => c.id).join(", ")}`);
  // Scope first (it reads the rollups, possibly for a while), then the short transaction that commits the run.
  const scope = await recostScope(found);
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM price_changes WHERE id = ANY(${ids}::bigint[]) AND recosted_at IS NULL FOR UPDATE`;
    if (locked.length !== ids.length) throw new ConflictError("Some of these price changes were re-costed meanwhile; reload");
    const run = scope ? await insertRecomputeRun(tx, caller, { kind: "reprice", ...scope, reason: input.reason }) : null;
    await tx.priceChange.updateMany({ where: { id: { in: ids } }, data: { recostedAt: new Date(), recomputeRunId: run?.id ?? null } });
    const changeIds = ids.map(Number);
    await audit(tx, {
      actor: caller,
      action: "price_change.recost",
      entity: "recompute_run",
      entityId: run?.id ?? null,
      after: { reason: input.reason, priceChanges: changeIds, runId: run?.id ?? null, scope: presentScope(scope) },
    });
    return { runId: run?.id ?? null, changes: changeIds, scope: presentScope(scope) };
  });
}
