// Loading the catalog into model_prices: a diff first (what the admin sees before applying), then the apply in one
// transaction that re-checks the diff. Catalog rows are keyed by (provider, model, service tier, effective from);
// the organization's own rows (source = manual) are never touched. Every apply records a price change, so a
// re-cost can be triggered later for exactly the time range it affects.
import "server-only";
import { createHash } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { waitForUpdate } from "@pydantic/genai-prices";
import { ConflictError } from "@/lib/api/errors";
import { CATALOG_PACKAGE, insertCatalogRows, replaceCatalogProviders } from "./catalog-sql";
import { catalogRows, parseCatalogFile, type CatalogProviderData, type CatalogProviderRow, type CatalogRow, type CatalogSkip } from "./catalog";

/** The pinned catalog package (package.json pins it exactly; a unit test keeps the two equal). */
export { CATALOG_PACKAGE };

export type LoadedCatalog = { version: string; rows: CatalogRow[]; providers: CatalogProviderRow[]; skipped: CatalogSkip[] };

export async function packageCatalog(): Promise<LoadedCatalog> {
  const data = (await waitForUpdate()) as unknown as CatalogProviderData[];
  return { version: `${CATALOG_PACKAGE.name}@${CATALOG_PACKAGE.version}`, ...catalogRows(data) };
}

export function fileCatalog(version: string, json: unknown): LoadedCatalog {
  return { version: `file:${version}`, ...catalogRows(parseCatalogFile(json)) };
}

const FIELDS = ["inputPerMTok", "outputPerMTok", "cacheReadPerMTok", "cacheCreationPerMTok", "reasoningPerMTok", "inputAudioPerMTok", "outputAudioPerMTok", "effectiveTo", "match", "tiers"] as const;
type Stored = CatalogRow & { id: number };
export type CatalogChange = { provider: string; model: string; effectiveFrom: string; before: Partial<CatalogRow> | null; after: Partial<CatalogRow> | null };
export type CatalogDiff = {
  version: string;
  currentVersion: string | null;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Up to 200 changes, for review. */
  changes: CatalogChange[];
  skipped: CatalogSkip[];
  /** Hash of (current rows, new rows): the apply refuses if either moved since the preview. */
  hash: string;
};

const key = (r: { provider: string; model: string; effectiveFrom: string }) => `${r.provider}|${r.model}|${r.effectiveFrom}`;
/** JSON with sorted keys: jsonb returns objects in its own key order. */
const canon = (v: unknown): string =>
  v === null || v === undefined
    ? "null"
    : Array.isArray(v)
      ? `[${v.map(canon).join(",")}]`
      : typeof v === "object"
        ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(",")}}`
        : JSON.stringify(v);
/** numeric(14,6)::text → the catalog's shortest form ("3.000000" → "3"). */
const trimDecimal = (v: string | null) => (v === null ? null : v.includes(".") ? v.replace(/0+$/, "").replace(/\.$/, "") : v);

async function storedCatalog(client: Pool | PoolClient): Promise<{ rows: Stored[]; version: string | null }> {
  const { rows } = await client.query<{
    id: number; provider: string; model: string; match: unknown; input: string; output: string; cache_read: string | null;
    cache_creation: string | null; reasoning: string | null; input_audio: string | null; output_audio: string | null; tiers: unknown; effective_from: Date; effective_to: Date | null; catalog_version: string | null;
  }>(
    `SELECT id, provider, model, match, input_per_mtok::text AS input, output_per_mtok::text AS output,
       cache_read_per_mtok::text AS cache_read, cache_creation_per_mtok::text AS cache_creation,
       reasoning_per_mtok::text AS reasoning, input_audio_per_mtok::text AS input_audio,
       output_audio_per_mtok::text AS output_audio, tiers, effective_from, effective_to, catalog_version
     FROM model_prices WHERE source = 'catalog' AND service_tier = 'default' ORDER BY id`,
  );
  return {
    version: rows[0]?.catalog_version ?? null,
    rows: rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      model: r.model,
      match: r.match as CatalogRow["match"],
      inputPerMTok: trimDecimal(r.input)!,
      outputPerMTok: trimDecimal(r.output)!,
      cacheReadPerMTok: trimDecimal(r.cache_read),
      cacheCreationPerMTok: trimDecimal(r.cache_creation),
      reasoningPerMTok: trimDecimal(r.reasoning),
      inputAudioPerMTok: trimDecimal(r.input_audio),
      outputAudioPerMTok: trimDecimal(r.output_audio),
      tiers: r.tiers as CatalogRow["tiers"],
      effectiveFrom: r.effective_from.toISOString(),
      effectiveTo: r.effective_to?.toISOString() ?? null,
    })),
  };
}

function compare(stored: Stored[], next: LoadedCatalog) {
  const before = new Map(stored.map((r) => [key(r), r]));
  const after = new Map(next.rows.map((r) => [key(r), r]));
  const added: CatalogRow[] = [];
  const changed: { id: number; before: Stored; after: CatalogRow }[] = [];
  const removed: Stored[] = [];
  let unchanged = 0;
  for (const [k, r] of after) {
    const old = before.get(k);
    if (!old) added.push(r);
    else if (FIELDS.some((f) => canon(old[f]) !== canon(r[f]))) changed.push({ id: old.id, before: old, after: r });
    else unchanged++;
  }
  for (const [k, r] of before) if (!after.has(k)) removed.push(r);
  return { added, changed, removed, unchanged };
}

function diffOf(stored: { rows: Stored[]; version: string | null }, next: LoadedCatalog): CatalogDiff & { plan: ReturnType<typeof compare> } {
  const plan = compare(stored.rows, next);
  const pick = (r: CatalogRow) => Object.fromEntries(FIELDS.filter((f) => f !== "match").map((f) => [f, r[f]])) as Partial<CatalogRow>;
  const changes: CatalogChange[] = [
    ...plan.changed.map((c) => ({ provider: c.after.provider, model: c.after.model, effectiveFrom: c.after.effectiveFrom, before: pick(c.before), after: pick(c.after) })),
    ...plan.added.map((r) => ({ provider: r.provider, model: r.model, effectiveFrom: r.effectiveFrom, before: null, after: pick(r) })),
    ...plan.removed.map((r) => ({ provider: r.provider, model: r.model, effectiveFrom: r.effectiveFrom, before: pick(r), after: null })),
  ].slice(0, 200);
  const hash = createHash("sha256")
    .update(canon(stored.rows.map((r) => [key(r), ...FIELDS.map((f) => canon(r[f]))])))
    .update(canon(next.rows.map((r) => [key(r), ...FIELDS.map((f) => canon(r[f]))])))
    .update(canon(next.providers))
    .digest("hex");
  return {
    version: next.version,
    currentVersion: stored.version,
    added: plan.added.length,
    removed: plan.removed.length,
    changed: plan.changed.length,
    unchanged: plan.unchanged,
    changes,
    skipped: next.skipped,
    hash,
    plan,
  };
}

function withoutPlan(diff: CatalogDiff & { plan: unknown }): CatalogDiff {
  const copy: Partial<typeof diff> = { ...diff };
  delete copy.plan;
  return copy as CatalogDiff;
}

export async function previewCatalog(pool: Pool, next: LoadedCatalog): Promise<CatalogDiff> {
  return withoutPlan(diffOf(await storedCatalog(pool), next));
}

/** Applies the catalog (after the diff named by `expect`, when given). Returns the diff applied. */
export async function applyCatalog(pool: Pool, next: LoadedCatalog, opts: { expect?: string; actor: { id: number | null; label: string } }): Promise<CatalogDiff> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // One catalog update at a time; ingestion keeps reading the old rows until this commits.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('agentledger.catalog'))");
    const diff = diffOf(await storedCatalog(client), next);
    if (opts.expect && opts.expect !== diff.hash) throw new ConflictError("The catalog or the price table changed since the preview; preview again");
    const { added, changed, removed } = diff.plan;
    if (removed.length) await client.query("DELETE FROM model_prices WHERE id = ANY($1::int[])", [removed.map((r) => r.id)]);
    if (changed.length) {
      await client.query(
        `UPDATE model_prices m SET match = r.match, input_per_mtok = r."inputPerMTok", output_per_mtok = r."outputPerMTok",
           cache_read_per_mtok = r."cacheReadPerMTok", cache_creation_per_mtok = r."cacheCreationPerMTok",
           reasoning_per_mtok = r."reasoningPerMTok", input_audio_per_mtok = r."inputAudioPerMTok",
           output_audio_per_mtok = r."outputAudioPerMTok", tiers = r.tiers, effective_to = r."effectiveTo", catalog_version = $2
         FROM jsonb_to_recordset($1::jsonb) AS r(id int, match jsonb, "inputPerMTok" numeric, "outputPerMTok" numeric,
           "cacheReadPerMTok" numeric, "cacheCreationPerMTok" numeric, "reasoningPerMTok" numeric, "inputAudioPerMTok" numeric,
           "outputAudioPerMTok" numeric, tiers jsonb, "effectiveTo" timestamptz)
         WHERE m.id = r.id`,
        [JSON.stringify(changed.map((c) => ({ ...c.after, id: c.id }))), next.version],
      );
    }
    // New rows go in catalog order (ids keep it: among overlapping rules of one provider the first wins).
    const order = new Map(next.rows.map((r, i) => [key(r), i]));
    await insertCatalogRows(client, added.map((r) => ({ ...r, ord: order.get(key(r))! })), next.version);
    await client.query("UPDATE model_prices SET catalog_version = $1 WHERE source = 'catalog' AND catalog_version IS DISTINCT FROM $1", [next.version]);
    await replaceCatalogProviders(client, next.providers, next.version);
    const touched = [...added, ...changed.map((c) => c.after), ...removed];
    if (touched.length) {
      // Which events may re-cost: every model id a changed rule can match, so the scope is "all models" from the
      // earliest price date touched (a re-cost re-resolves each event's id against the new rules).
      const from = touched.reduce((min, r) => (r.effectiveFrom < min ? r.effectiveFrom : min), touched[0]!.effectiveFrom);
      await client.query(
        `INSERT INTO price_changes (kind, models, all_models, range_from, actor) VALUES ('catalog.update', $1::text[], true, $2, $3)`,
        [[...new Set(touched.map((r) => `${r.provider}/${r.model}`))].slice(0, 1000), from, opts.actor.label],
      );
    }
    const result = withoutPlan(diff);
    await client.query(
      `INSERT INTO audit_logs (actor_id, actor, action, entity, entity_id, after) VALUES ($1, $2, 'price_catalog.update', 'model_price', NULL, $3)`,
      [opts.actor.id, opts.actor.label, JSON.stringify({ version: result.version, previous: result.currentVersion, added: result.added, changed: result.changed, removed: result.removed, skipped: result.skipped.length })],
    );
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
