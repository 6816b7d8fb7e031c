// The maintained price catalog (@pydantic/genai-prices, pinned) turned into AgentLedger price rows. Pure: the
// catalog's numbers are floats, so each is converted once to an exact decimal string (≤ 6 decimals, what
// model_prices holds); a price that has no such form is reported and its model skipped, never rounded silently.
// The package's own calculator (floats) is never used for money.
import Decimal from "decimal.js";

export type MatchLogic =
  | { and: MatchLogic[] }
  | { or: MatchLogic[] }
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string };

type TieredPrice = { base: number; tiers: { start: number; price: number }[] };
type CatalogPrice = Record<string, number | TieredPrice | undefined>;
type CatalogModel = {
  id: string;
  match: MatchLogic;
  prices: CatalogPrice | { constraint?: { type?: string; start_date?: string; start_time?: string }; prices: CatalogPrice }[];
};
export type CatalogProviderData = {
  id: string;
  name: string;
  model_match?: MatchLogic;
  fallback_model_providers?: string[];
  models: CatalogModel[];
};

/** Prices above `start` prompt tokens; an absent class keeps the base price. Decimal strings per 1M tokens. */
export type PriceTier = { start: number; input?: string; output?: string; cacheRead?: string; cacheCreation?: string };

export type CatalogRow = {
  provider: string;
  model: string;
  match: MatchLogic;
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheCreationPerMTok: string | null;
  reasoningPerMTok: string | null;
  inputAudioPerMTok: string | null;
  outputAudioPerMTok: string | null;
  tiers: PriceTier[] | null;
  /** ISO instant. */
  effectiveFrom: string;
  effectiveTo: string | null;
};

export type CatalogProviderRow = { id: string; name: string; modelMatch: MatchLogic | null; fallback: string[]; position: number };

export type CatalogSkip = { provider: string; model: string; reason: string };

/** Rows of models the catalog prices since "forever" start here. */
export const CATALOG_EPOCH = "2020-01-01T00:00:00.000Z";

const CLASSES = [
  ["input_mtok", "input"],
  ["output_mtok", "output"],
  ["cache_read_mtok", "cacheRead"],
  ["cache_write_mtok", "cacheCreation"],
] as const;

/** A catalog float as the exact decimal it stands for: 12 significant digits undo binary noise
 * (0.18000000000000002 → "0.18"); more than 6 decimals left means the price has no exact 6-decimal form. */
export function catalogDecimal(value: number): string | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const d = new Decimal(value.toPrecision(12));
  return d.decimalPlaces() > 6 || d.greaterThanOrEqualTo(1e8) ? null : d.toFixed();
}

class Skip extends Error {}

function convert(price: CatalogPrice): Omit<CatalogRow, "provider" | "model" | "match" | "effectiveFrom" | "effectiveTo"> {
  const dec = (v: number) => {
    const d = catalogDecimal(v);
    if (d === null) throw new Skip(`price ${v} has no exact form with 6 decimals`);
    return d;
  };
  if (price.input_mtok === undefined && price.output_mtok === undefined) {
    // No prices at all = a free model (e.g. `:free` variants); other units only = not a token-priced model.
    if (Object.values(price).some((v) => v !== undefined)) throw new Skip("no token prices (priced per request, image or second)");
  }
  const base: Record<string, string | null> = {};
  const starts = new Set<number>();
  for (const [key, name] of CLASSES) {
    const v = price[key];
    if (v === undefined) base[name] = null;
    else if (typeof v === "number") base[name] = dec(v);
    else {
      base[name] = dec(v.base);
      for (const t of v.tiers) starts.add(t.start);
    }
  }
  const tiers: PriceTier[] = [...starts]
    .sort((a, b) => a - b)
    .map((start) => {
      const tier: PriceTier = { start };
      for (const [key, name] of CLASSES) {
        const v = price[key];
        if (v === undefined || typeof v === "number") continue;
        // The class's price at this threshold: its last tier starting at or below it.
        const hit = v.tiers.filter((t) => t.start <= start).at(-1);
        if (hit) tier[name] = dec(hit.price);
      }
      return tier;
    });
  const reasoning = price.output_reasoning_mtok;
  if (typeof reasoning === "object") throw new Skip("tiered reasoning prices");
  // Audio tokens: the catalog's input_audio_mtok / output_audio_mtok. Its cache_audio_read_mtok has no token count
  // to apply to (events carry no cached-audio count), so cached input stays at the cache-read price.
  const single = (v: number | TieredPrice | undefined, what: string) => {
    if (typeof v === "object") throw new Skip(`tiered ${what} prices`);
    return v === undefined ? null : dec(v);
  };
  return {
    inputPerMTok: base.input ?? "0",
    outputPerMTok: base.output ?? "0",
    cacheReadPerMTok: base.cacheRead ?? null,
    cacheCreationPerMTok: base.cacheCreation ?? null,
    reasoningPerMTok: reasoning === undefined ? null : dec(reasoning),
    inputAudioPerMTok: single(price.input_audio_mtok, "audio input"),
    outputAudioPerMTok: single(price.output_audio_mtok, "audio output"),
    tiers: tiers.length ? tiers : null,
  };
}

/** Catalog → price rows (one per model and start date), provider rows, and what could not be converted. */
export function catalogRows(data: CatalogProviderData[]): { rows: CatalogRow[]; providers: CatalogProviderRow[]; skipped: CatalogSkip[] } {
  const rows: CatalogRow[] = [];
  const skipped: CatalogSkip[] = [];
  const providers = data.map((p, position) => ({
    id: p.id,
    name: p.name,
    modelMatch: p.model_match ?? null,
    fallback: p.fallback_model_providers ?? [],
    position,
  }));
  for (const p of data) {
    for (const m of p.models) {
      // Start-dated prices become effective-dated rows; time-of-day (off-peak) prices are not modelled: the
      // model keeps its all-day price, and the skip list says so.
      const entries = Array.isArray(m.prices) ? m.prices : [{ prices: m.prices }];
      const dated: { from: string; prices: CatalogPrice }[] = [];
      for (const e of entries) {
        if (!e.constraint) dated.push({ from: CATALOG_EPOCH, prices: e.prices });
        else if (e.constraint.start_date) dated.push({ from: `${e.constraint.start_date}T00:00:00.000Z`, prices: e.prices });
        else skipped.push({ provider: p.id, model: m.id, reason: "time-of-day price not modelled (all-day price used)" });
      }
      dated.sort((a, b) => a.from.localeCompare(b.from));
      try {
        const converted = dated.map((d, i) => ({
          provider: p.id,
          model: m.id,
          match: m.match,
          ...convert(d.prices),
          effectiveFrom: d.from,
          effectiveTo: dated[i + 1]?.from ?? null,
        }));
        rows.push(...converted);
      } catch (error) {
        if (!(error instanceof Skip)) throw error;
        skipped.push({ provider: p.id, model: m.id, reason: error.message });
      }
    }
  }
  return { rows, providers, skipped };
}

/** Why a match rule is unusable (unknown operator, non-string operand, invalid regex), or null. */
function invalidMatch(logic: unknown, depth = 0): string | null {
  if (depth > 20 || typeof logic !== "object" || logic === null || Array.isArray(logic)) return "must be a match object";
  const entries = Object.entries(logic);
  if (entries.length !== 1) return "must have exactly one operator";
  const [op, value] = entries[0]!;
  if (op === "and" || op === "or") {
    if (!Array.isArray(value)) return `${op} must be an array`;
    for (const part of value) {
      const bad = invalidMatch(part, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  if (!["equals", "starts_with", "ends_with", "contains", "regex"].includes(op)) return `unknown operator ${op}`;
  if (typeof value !== "string") return `${op} must be a string`;
  if (op === "regex") {
    try {
      new RegExp(value);
    } catch {
      return `invalid regex ${value.slice(0, 100)}`;
    }
  }
  return null;
}

/** Checks an uploaded catalog file's shape (the package's data.json format: an array of providers). */
export function parseCatalogFile(json: unknown): CatalogProviderData[] {
  const fail = (why: string): never => {
    throw new RangeError(`catalog file: ${why}`);
  };
  if (!Array.isArray(json)) fail("expected an array of providers");
  const list = json as unknown[];
  list.forEach((p, i) => {
    const o = p as Partial<CatalogProviderData> | null;
    if (!o || typeof o !== "object") fail(`[${i}] is not an object`);
    if (typeof o!.id !== "string" || !o!.id) fail(`[${i}].id must be a string`);
    if (!Array.isArray(o!.models)) fail(`[${i}].models must be an array`);
    o!.models!.forEach((m, j) => {
      if (!m || typeof m.id !== "string" || typeof m.match !== "object" || m.match === null || typeof m.prices !== "object" || m.prices === null) {
        fail(`[${i}].models[${j}] needs id, match and prices`);
      }
      const bad = invalidMatch(m.match);
      if (bad) fail(`[${i}].models[${j}].match: ${bad}`);
    });
  });
  return list.map((p) => {
    const o = p as CatalogProviderData;
    return { ...o, name: typeof o.name === "string" ? o.name : o.id };
  });
}
