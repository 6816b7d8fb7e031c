// SQL that writes catalog rows and providers, shared by the catalog update (lib/pricing/catalog-store.ts) and the
// demo seed. No server-only: the seed runs outside Next.
import type { CatalogProviderRow, CatalogRow } from "./catalog";

/** The pinned catalog package (package.json pins it exactly; a unit test keeps the two equal). */
export const CATALOG_PACKAGE = { name: "@pydantic/genai-prices", version: "0.1.8" };

type Query = { query(text: string, values?: unknown[]): Promise<unknown> };

const INSERT_ROWS = `
INSERT INTO model_prices (source, provider, model, match, currency, input_per_mtok, output_per_mtok, cache_read_per_mtok,
  cache_creation_per_mtok, reasoning_per_mtok, input_audio_per_mtok, output_audio_per_mtok, tiers, effective_from, effective_to, service_tier, catalog_version)
SELECT 'catalog', r.provider, r.model, r.match, 'USD', r."inputPerMTok", r."outputPerMTok", r."cacheReadPerMTok",
  r."cacheCreationPerMTok", r."reasoningPerMTok", r."inputAudioPerMTok", r."outputAudioPerMTok", r.tiers, r."effectiveFrom", r."effectiveTo", 'default', $2
FROM jsonb_to_recordset($1::jsonb) AS r(provider text, model text, match jsonb, "inputPerMTok" numeric, "outputPerMTok" numeric,
  "cacheReadPerMTok" numeric, "cacheCreationPerMTok" numeric, "reasoningPerMTok" numeric, "inputAudioPerMTok" numeric,
  "outputAudioPerMTok" numeric, tiers jsonb, "effectiveFrom" timestamptz, "effectiveTo" timestamptz, ord int)
ORDER BY r.ord`;

/** Inserts catalog rows in the given order (ids keep it: among overlapping rules of one provider the first wins). */
export async function insertCatalogRows(client: Query, rows: (CatalogRow & { ord: number })[], version: string) {
  if (rows.length) await client.query(INSERT_ROWS, [JSON.stringify(rows), version]);
}

/** Replaces the catalog's provider list. */
export async function replaceCatalogProviders(client: Query, providers: CatalogProviderRow[], version: string) {
  await client.query("DELETE FROM price_catalog_providers");
  await client.query(
    `INSERT INTO price_catalog_providers (id, name, model_match, fallback, position, catalog_version)
     SELECT p.id, p.name, p."modelMatch", p.fallback, p.position, $2
     FROM jsonb_to_recordset($1::jsonb) AS p(id text, name text, "modelMatch" jsonb, fallback text[], position int)`,
    [JSON.stringify(providers), version],
  );
}
