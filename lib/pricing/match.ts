// Which price applies to an event's model id. Pure and compiled once per pricing generation: the rules (aliases,
// the organization's own rows, catalog match rules per provider) are precompiled, and each distinct model id is
// resolved once and cached, so the ingestion hot path does a Map lookup and a short scan of effective dates.
//
// Order (first hit wins; documented in README "Pricing"):
//   1. an admin alias (exact, case-insensitive) replaces the id, optionally naming the provider;
//   2. for each form of the id — as sent, then normalised (gateway prefixes such as `openai/`, `models/`,
//      Vertex resource paths, Bedrock `bedrock/` and the vendor/region forms), then without a date snapshot —
//      a) the organization's own row with exactly that name (a custom model);
//      b) the catalog: the provider the form names (prefix), else the providers whose model rule matches it, in
//         catalog order, then their fallback providers; the first model whose rule matches. An organization row
//         with that catalog model's name and provider overrides the catalog's prices.
//   A dated catalog price (e.g. `gpt-4o-2024-05-13`) therefore wins over its family; a snapshot with no price of
//   its own falls back to the family in step 2 (the catalog's rules already list most snapshots).
import { costUnitsWithFactor, formatUnits, microPrice, microTiers, multiplyFactors, discountFactor, tierPrice, type Factor, type MicroPrice, type MicroTier, type TokenCounts } from "./cost";
import type { MatchLogic, PriceTier } from "./catalog";

export const SERVICE_TIERS = ["default", "batch", "flex", "priority"] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/** Published service-tier pricing that is a flat share of the standard price (list policy, not a discount).
 * Priority prices are per model (no flat factor): they need explicit rows with service_tier = priority. */
export const SERVICE_TIER_FACTORS: Record<string, Partial<Record<ServiceTier, { num: bigint; den: bigint }>>> = {
  // OpenAI: Batch API 50% off; Flex processing is billed at Batch prices (platform.openai.com/docs/pricing).
  openai: { batch: { num: 1n, den: 2n }, flex: { num: 1n, den: 2n } },
  azure: { batch: { num: 1n, den: 2n } }, // Azure OpenAI Global Batch: 50% less than Global Standard.
  anthropic: { batch: { num: 1n, den: 2n } }, // Message Batches API: 50% of standard prices.
  google: { batch: { num: 1n, den: 2n } }, // Gemini Batch Mode: 50% of the interactive price.
  aws: { batch: { num: 1n, den: 2n } }, // Bedrock batch inference: 50% of on-demand for supported models.
};

export type PriceRowInput = {
  id: number;
  provider: string;
  model: string;
  source: "catalog" | "manual";
  serviceTier: string;
  match: MatchLogic | null;
  currency: string;
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheCreationPerMTok: string | null;
  reasoningPerMTok: string | null;
  /** Absent or null: audio tokens at the input / output price. */
  inputAudioPerMTok?: string | null;
  outputAudioPerMTok?: string | null;
  tiers: PriceTier[] | null;
  effectiveFrom: number;
  effectiveTo: number | null;
};
export type AliasInput = { alias: string; model: string; provider: string | null };
export type DiscountInput = { id: number; provider: string; model: string | null; percent: string; effectiveFrom: number; effectiveTo: number | null };
export type ProviderInput = { id: string; modelMatch: MatchLogic | null; fallback: string[]; position: number };

type CompiledRow = { id: number; serviceTier: string; currency: string; micro: MicroPrice; tiers: MicroTier[]; effectiveFrom: number; effectiveTo: number | null };
/** One priced model: all its rows (dates, service tiers). */
type PricedModel = { key: string; provider: string; model: string; source: "catalog" | "manual"; rows: CompiledRow[] };
export type Resolution = { model: PricedModel; rule: string } | null;

export type Priced =
  /** `cost` is in `currency`, the price row's: the caller converts one other than the organization's (lib/currency). */
  | { ok: true; cost: string; currency: string; priceId: number; rule: string; provider: string; model: string }
  | { ok: false; reason: string; provider: string | null };

type Test = (id: string) => boolean;

export function compileMatch(logic: MatchLogic): Test {
  if ("or" in logic) {
    const parts = logic.or.map(compileMatch);
    return (id) => parts.some((t) => t(id));
  }
  if ("and" in logic) {
    const parts = logic.and.map(compileMatch);
    return (id) => parts.every((t) => t(id));
  }
  if ("equals" in logic) {
    const v = logic.equals.toLowerCase();
    return (id) => id === v;
  }
  if ("starts_with" in logic) {
    const v = logic.starts_with.toLowerCase();
    return (id) => id.startsWith(v);
  }
  if ("ends_with" in logic) {
    const v = logic.ends_with.toLowerCase();
    return (id) => id.endsWith(v);
  }
  if ("contains" in logic) {
    const v = logic.contains.toLowerCase();
    return (id) => id.includes(v);
  }
  if ("regex" in logic) {
    // A catalog file is checked on upload (parseCatalogFile); a pattern that still fails to compile never
    // matches, rather than stopping ingestion.
    let re: RegExp;
    try {
      re = new RegExp(logic.regex);
    } catch {
      return () => false;
    }
    return (id) => re.test(id);
  }
  return () => false;
}

/** Looked up, in this order, for ids that no provider's model rule claims and no prefix names. */
const FIRST_PARTY = ["openai", "anthropic", "google", "mistral", "x-ai", "deepseek", "cohere", "voyageai"];

type Form = { id: string; provider: string | null; rule: string };

// Gateway prefixes: LiteLLM's `provider/model`, OpenRouter's `vendor/model`, Vertex and AI Studio resource names.
const PREFIXES: [RegExp, string | null][] = [
  [/^projects\/[^/]+\/locations\/[^/]+\/publishers\/google\/models\//, "google"],
  [/^projects\/[^/]+\/locations\/[^/]+\/publishers\/anthropic\/models\//, "anthropic"],
  [/^publishers\/google\/models\//, "google"],
  [/^publishers\/anthropic\/models\//, "anthropic"],
  [/^models\//, "google"],
  [/^(?:vertex_ai|vertex_ai_beta)\/(?=claude)/, "anthropic"],
  [/^(?:vertex_ai|vertex_ai_beta)\//, "google"],
  [/^(?:gemini|google_ai_studio|google|google-vertex)\//, "google"],
  [/^(?:bedrock|bedrock_converse)\/(?:converse\/)?/, "aws"],
  [/^(?:azure|azure_ai)\//, "azure"],
  [/^(?:openai|text-completion-openai)\//, "openai"],
  [/^anthropic\//, "anthropic"],
  [/^(?:xai|x-ai)\//, "x-ai"],
  [/^(?:mistral|mistralai)\//, "mistral"],
  [/^deepseek\//, "deepseek"],
  [/^cohere\//, "cohere"],
  [/^(?:groq)\//, "groq"],
  [/^(?:together_ai|together)\//, "together"],
];
const BEDROCK_ARN = /^arn:aws(?:-[a-z]+)?:bedrock:[^:]*:[^:]*:(?:inference-profile|application-inference-profile|foundation-model)\//;
const BEDROCK_ID = /^(?:(?:us|eu|apac|au|ca|jp|us-gov|global)\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|qwen|openai|writer|twelvelabs)\./;
const BEDROCK_VENDOR = /^(?:(?:us|eu|apac|au|ca|jp|us-gov|global)\.)?(anthropic|amazon|meta|mistral|cohere|ai21|deepseek|qwen|openai|writer)\.(.+?)(?:-v\d+(?::\d+)?)?(?::\d+)?$/;
const DATE_SUFFIX = /(?:[-@](?:20\d{2}-?\d{2}-?\d{2})|-\d{2}-\d{2}|-latest)$/;

/** The forms of an id to try, in order: as sent, normalised, without a date snapshot. */
export function modelForms(raw: string): Form[] {
  const forms: Form[] = [];
  const add = (id: string, provider: string | null, rule: string) => {
    if (id && !forms.some((f) => f.id === id && f.provider === provider)) forms.push({ id, provider, rule });
  };
  let id = raw.trim().toLowerCase();
  let provider: string | null = null;
  const steps: string[] = [];
  add(id, null, "as-sent");
  if (id.startsWith("openrouter/")) {
    id = id.slice("openrouter/".length);
    steps.push("openrouter/");
    // OpenRouter's own ids (`openai/gpt-4o`) first: its catalog prices what it bills.
    add(id, "openrouter", "normalized:openrouter/");
  }
  if (BEDROCK_ARN.test(id)) {
    id = id.replace(BEDROCK_ARN, "");
    steps.push("arn");
    provider = "aws";
  }
  for (const [re, p] of PREFIXES) {
    if (re.test(id)) {
      steps.push(id.match(re)![0]);
      id = id.replace(re, "");
      provider = p;
      break;
    }
  }
  if (BEDROCK_ID.test(id)) provider = "aws";
  if (steps.length || provider) add(id, provider, `normalized:${steps.join("") || provider}`);
  // Bedrock ids also price at the model vendor's own list (same list prices for on-demand), as a fallback.
  const bedrock = provider === "aws" ? BEDROCK_VENDOR.exec(id) : null;
  if (bedrock) {
    const vendor = { anthropic: "anthropic", amazon: "aws", meta: null, mistral: "mistral", cohere: "cohere", ai21: null, deepseek: "deepseek", qwen: null, openai: "openai", writer: null }[bedrock[1]!];
    if (vendor && vendor !== "aws") add(bedrock[2]!, vendor, "normalized:bedrock-vendor");
  }
  // A dated snapshot without a price of its own takes its family's (claude-sonnet-4-5-20250929 → claude-sonnet-4-5).
  for (const f of [...forms]) {
    const base = f.id.replace(/-v\d+(?::\d+)?$/, "").replace(DATE_SUFFIX, "");
    if (base !== f.id) add(base, f.provider, `family:${f.rule}`);
  }
  return forms;
}

function compileRow(r: PriceRowInput): CompiledRow {
  const base = {
    inputPerMTok: r.inputPerMTok,
    outputPerMTok: r.outputPerMTok,
    cacheReadPerMTok: r.cacheReadPerMTok,
    cacheCreationPerMTok: r.cacheCreationPerMTok,
    reasoningPerMTok: r.reasoningPerMTok,
    inputAudioPerMTok: r.inputAudioPerMTok,
    outputAudioPerMTok: r.outputAudioPerMTok,
  };
  return {
    id: r.id,
    serviceTier: r.serviceTier,
    currency: r.currency.trim(),
    micro: microPrice(base),
    tiers: microTiers(base, r.tiers),
    effectiveFrom: r.effectiveFrom,
    effectiveTo: r.effectiveTo,
  };
}

export class PriceBook {
  private readonly manualByName = new Map<string, PricedModel>();
  private readonly manualByKey = new Map<string, PricedModel>();
  private readonly catalog = new Map<string, { test: Test; model: PricedModel }[]>();
  private readonly providers: { id: string; test: Test | null; fallback: string[] }[];
  private readonly aliases = new Map<string, AliasInput>();
  private readonly discounts: (DiscountInput & { factor: { num: bigint; den: bigint } })[];
  private readonly cache = new Map<string, Resolution>();
  /** Every currency a price is listed in: the FX rates a batch may need (lib/ingest/validate.ts fxNeeds). */
  readonly currencies: string[];

  constructor(input: { rows: PriceRowInput[]; aliases: AliasInput[]; discounts: DiscountInput[]; providers: ProviderInput[] }) {
    this.currencies = [...new Set(input.rows.map((r) => r.currency.trim()))];
    const models = new Map<string, PricedModel & { match: MatchLogic | null; first: number }>();
    for (const r of input.rows) {
      const key = `${r.source}|${r.provider}|${r.model.toLowerCase()}`;
      let m = models.get(key);
      if (!m) models.set(key, (m = { key, provider: r.provider, model: r.model, source: r.source, rows: [], match: r.match, first: r.id }));
      m.rows.push(compileRow(r));
      m.first = Math.min(m.first, r.id);
    }
    // Catalog models keep the catalog's order (rows are inserted in it), which decides among overlapping rules.
    for (const m of [...models.values()].sort((a, b) => a.first - b.first)) {
      const name = m.model.toLowerCase();
      if (m.source === "manual") {
        if (!this.manualByName.has(name)) this.manualByName.set(name, m);
        this.manualByKey.set(`${m.provider}|${name}`, m);
      } else {
        const list = this.catalog.get(m.provider) ?? [];
        list.push({ test: m.match ? compileMatch(m.match) : (id) => id === name, model: m });
        this.catalog.set(m.provider, list);
      }
    }
    this.providers = [...input.providers]
      .sort((a, b) => a.position - b.position)
      .map((p) => ({ id: p.id, test: p.modelMatch ? compileMatch(p.modelMatch) : null, fallback: p.fallback }));
    for (const a of input.aliases) this.aliases.set(a.alias.toLowerCase(), a);
    this.discounts = input.discounts.map((d) => ({ ...d, factor: discountFactor(d.percent) }));
  }

  /** The priced model an id maps to and the rule that found it; cached per id. */
  resolve(modelId: string): Resolution {
    let hit = this.cache.get(modelId);
    if (hit === undefined) {
      hit = this.resolveUncached(modelId);
      if (this.cache.size > 50_000) this.cache.clear(); // ids are client-chosen: bound the memory
      this.cache.set(modelId, hit);
    }
    return hit;
  }

  private resolveUncached(modelId: string): Resolution {
    const alias = this.aliases.get(modelId.trim().toLowerCase());
    if (alias) {
      const target = this.search(alias.model, alias.provider);
      return target ? { model: target.model, rule: `alias:${modelId.trim().toLowerCase()}→${alias.model}; ${target.rule}` } : null;
    }
    return this.search(modelId, null);
  }

  private search(modelId: string, providerHint: string | null): Resolution {
    for (const form of modelForms(modelId)) {
      const provider = providerHint ?? form.provider;
      const manual = provider ? this.manualByKey.get(`${provider}|${form.id}`) ?? this.manualByName.get(form.id) : this.manualByName.get(form.id);
      if (manual) return { model: manual, rule: `manual:${form.rule}` };
      const found = this.searchCatalog(form.id, provider);
      if (found) {
        const override = this.manualByKey.get(`${found.provider}|${found.model.toLowerCase()}`);
        if (override) return { model: override, rule: `override:${found.provider}/${found.model}; ${form.rule}` };
        return { model: found, rule: `catalog:${found.provider}/${found.model}; ${form.rule}` };
      }
    }
    return null;
  }

  private searchCatalog(id: string, provider: string | null): PricedModel | null {
    const order: string[] = provider ? [provider] : this.providers.filter((p) => p.test?.(id)).map((p) => p.id);
    // An id no provider rule claims (e.g. `text-embedding-3-small`) is looked up at the first-party providers.
    if (order.length === 0) order.push(...FIRST_PARTY);
    const seen = new Set<string>();
    for (let i = 0; i < order.length; i++) {
      const p = order[i]!;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const entry of this.catalog.get(p) ?? []) if (entry.test(id)) return entry.model;
      order.push(...(this.providers.find((x) => x.id === p)?.fallback ?? []));
    }
    return null;
  }

  /** Best guess of an unpriced id's provider (for the unpriced list): its prefix, else the first rule match. */
  providerOf(modelId: string): string | null {
    const forms = modelForms(modelId);
    const hinted = forms.find((f) => f.provider);
    if (hinted) return hinted.provider;
    for (const form of forms) {
      const p = this.providers.find((x) => x.test?.(form.id));
      if (p) return p.id;
    }
    return null;
  }

  /** Negotiated discount for a catalog model at `at`: the model's own beats its provider's. */
  discountAt(provider: string, model: string, at: number): (DiscountInput & { factor: { num: bigint; den: bigint } }) | null {
    let best: (typeof this.discounts)[number] | null = null;
    const name = model.toLowerCase();
    for (const d of this.discounts) {
      if (d.provider !== provider || d.effectiveFrom > at || (d.effectiveTo !== null && at >= d.effectiveTo)) continue;
      if (d.model !== null && d.model.toLowerCase() !== name) continue;
      if (!best || (best.model === null && d.model !== null) || ((best.model === null) === (d.model === null) && d.effectiveFrom > best.effectiveFrom)) best = d;
    }
    return best;
  }

  /** The cost of a call in its price row's currency, or why it has none. */
  /** `promptTier` overrides the prompt-size tier for aggregates (a usage report's bucket sums many calls):
   * "base" = below every threshold, "long" = the highest tier. */
  price(modelId: string, at: number, serviceTier: ServiceTier | null, tokens: TokenCounts, promptTier?: "base" | "long"): Priced {
    const resolved = this.resolve(modelId);
    if (!resolved) return { ok: false, reason: "no matching price", provider: this.providerOf(modelId) };
    const { model, rule } = resolved;
    const tier = serviceTier ?? "default";
    const rowAt = (st: string) => {
      let best: CompiledRow | undefined;
      for (const r of model.rows) {
        if (r.serviceTier !== st || r.effectiveFrom > at || (r.effectiveTo !== null && at >= r.effectiveTo)) continue;
        if (!best || r.effectiveFrom > best.effectiveFrom) best = r;
      }
      return best;
    };
    let row = rowAt(tier);
    let factor: Factor = null;
    let how = rule;
    if (!row && tier !== "default") {
      const share = SERVICE_TIER_FACTORS[model.provider]?.[tier];
      if (!share) return { ok: false, reason: `no ${tier} price for ${model.provider}/${model.model}`, provider: model.provider };
      row = rowAt("default");
      factor = share;
      how += `; ${tier} ×${share.num}/${share.den}`;
    }
    if (!row) return { ok: false, reason: `no price effective at ${new Date(at).toISOString()}`, provider: model.provider };
    if (model.source === "catalog") {
      const discount = this.discountAt(model.provider, model.model, at);
      if (discount) {
        factor = multiplyFactors(factor, discount.factor);
        how += `; discount ${discount.percent}%`;
      }
    }
    const micro = promptTier === "base" ? row.micro : promptTier === "long" ? (row.tiers.at(-1)?.price ?? row.micro) : tierPrice(row.micro, row.tiers, tokens);
    if (micro !== row.micro) how += `; tier >${row.tiers.filter((t) => t.price === micro).at(-1)?.start ?? "?"}`;
    return { ok: true, cost: formatUnits(costUnitsWithFactor(micro, tokens, factor)), currency: row.currency, priceId: row.id, rule: how, provider: model.provider, model: model.model };
  }
}
