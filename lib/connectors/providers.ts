// Provider usage/cost APIs in their documented formats: how to ask for one page and how its buckets become
// contract events. Pure (no I/O), so every mapping is unit-tested against fixtures.
// Event ids are deterministic — provider, dataset, bucket start and a hash of the grouping dimensions — so a
// bucket fetched twice (a retry, an overlapping re-run) is the same event and counts once.
import { toServiceTier } from "@/lib/pricing/service-tier";
import { createHash } from "node:crypto";
import Decimal from "decimal.js";

export type Provider = "openai" | "anthropic";
export type Dataset = "usage" | "costs";

export type ConnectorSettings = { provider: Provider; dataset: Dataset; baseUrl: string; agentKey: string; departmentCode: string | null };

export type Page = { events: Record<string, unknown>[]; nextPage: string | null; lastBucketEnd: Date | null };

type Spec = {
  path: string;
  /** Bucket width in ms; the window end is rounded down to it. */
  bucketMs: number;
  /** Buckets per page. */
  limit: number;
  /** A bucket is imported only once it ended this long ago, so late provider updates are in it. */
  settleMs: number;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const SPECS: Record<Provider, Record<Dataset, Spec>> = {
  openai: {
    usage: { path: "/v1/organization/usage/completions", bucketMs: HOUR, limit: 168, settleMs: HOUR },
    costs: { path: "/v1/organization/costs", bucketMs: DAY, limit: 30, settleMs: DAY },
  },
  anthropic: {
    usage: { path: "/v1/organizations/usage_report/messages", bucketMs: HOUR, limit: 168, settleMs: HOUR },
    costs: { path: "/v1/organizations/cost_report", bucketMs: DAY, limit: 30, settleMs: DAY },
  },
};

export const DEFAULT_BASE_URL: Record<Provider, string> = { openai: "https://api.openai.com", anthropic: "https://api.anthropic.com" };

const GROUP_BY: Record<Provider, Record<Dataset, string[]>> = {
  openai: { usage: ["model", "project_id", "api_key_id", "batch", "service_tier"], costs: ["line_item", "project_id"] },
  anthropic: { usage: ["model", "workspace_id", "api_key_id", "service_tier", "context_window"], costs: ["workspace_id", "description"] },
};

/** [start, end) of complete, settled buckets to fetch; null when there is nothing new. */
export function window(settings: ConnectorSettings, checkpoint: Date | null, backfillDays: number, now: Date): { start: Date; end: Date } | null {
  const spec = SPECS[settings.provider][settings.dataset];
  const end = Math.floor((now.getTime() - spec.settleMs) / spec.bucketMs) * spec.bucketMs;
  const start = checkpoint ? checkpoint.getTime() : Math.floor((end - backfillDays * DAY) / spec.bucketMs) * spec.bucketMs;
  return start < end ? { start: new Date(start), end: new Date(end) } : null;
}

export function pageRequest(settings: ConnectorSettings, apiKey: string, range: { start: Date; end: Date }, page: string | null): { url: string; headers: Record<string, string> } {
  const spec = SPECS[settings.provider][settings.dataset];
  const url = new URL(settings.baseUrl.replace(/\/+$/, "") + spec.path);
  const q = url.searchParams;
  const width = spec.bucketMs === HOUR ? "1h" : "1d";
  if (settings.provider === "openai") {
    q.set("start_time", String(range.start.getTime() / 1000));
    q.set("end_time", String(range.end.getTime() / 1000));
    for (const g of GROUP_BY.openai[settings.dataset]) q.append("group_by", g);
    q.set("bucket_width", width);
    q.set("limit", String(spec.limit));
    if (page) q.set("page", page);
    return { url: url.toString(), headers: { authorization: `Bearer ${apiKey}` } };
  }
  q.set("starting_at", range.start.toISOString());
  q.set("ending_at", range.end.toISOString());
  for (const g of GROUP_BY.anthropic[settings.dataset]) q.append("group_by[]", g);
  q.set("bucket_width", width);
  q.set("limit", String(spec.limit));
  if (page) q.set("page", page);
  return { url: url.toString(), headers: { "x-api-key": apiKey, "anthropic-version": "2023-06-01" } };
}

function eventId(settings: ConnectorSettings, bucketStart: Date, dims: unknown[]): string {
  const hash = createHash("sha256").update(JSON.stringify(dims)).digest("hex").slice(0, 20);
  return `${settings.provider}.${settings.dataset}:${bucketStart.toISOString()}:${hash}`;
}

/** Flat string/number/boolean properties, nulls left out. */
function props(values: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

const tier = (v: unknown) => {
  const t = toServiceTier(v);
  return t ? { service_tier: t } : {};
};
const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const s = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

type Bucket = { start: Date; end: Date; results: Record<string, unknown>[] };

function buckets(settings: ConnectorSettings, body: Record<string, unknown>): Bucket[] {
  const data = Array.isArray(body.data) ? (body.data as Record<string, unknown>[]) : [];
  return data.map((b) => {
    const openai = settings.provider === "openai";
    const start = openai ? new Date(Number(b.start_time) * 1000) : new Date(String(b.starting_at));
    const end = openai ? new Date(Number(b.end_time) * 1000) : new Date(String(b.ending_at));
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new Error("bucket without a valid start/end time");
    // OpenAI names the list `results` (the older docs also showed `result`); Anthropic `results`.
    const results = (b.results ?? b.result ?? []) as Record<string, unknown>[];
    return { start, end, results };
  });
}

function base(settings: ConnectorSettings, bucket: Bucket, dims: unknown[]) {
  return {
    id: eventId(settings, bucket.start, dims),
    timestamp: bucket.start.toISOString(),
    agent: settings.agentKey,
    ...(settings.departmentCode ? { department: settings.departmentCode } : {}),
  };
}

function mapResult(settings: ConnectorSettings, bucket: Bucket, r: Record<string, unknown>): Record<string, unknown> {
  const key = `${settings.provider}.${settings.dataset}`;
  const provider = { provider: settings.provider };
  switch (key) {
    case "openai.usage": {
      // OpenAI counts cached tokens inside input_tokens; the contract's classes are disjoint.
      const cached = n(r.input_cached_tokens);
      return {
        ...base(settings, bucket, [r.model, r.project_id, r.api_key_id, r.user_id, r.batch, r.service_tier]),
        type: "llm.usage",
        quantity: n(r.num_model_requests),
        ...(s(r.model) ? { model: r.model } : {}),
        tokens: { input: Math.max(0, n(r.input_tokens) - cached), output: n(r.output_tokens), cache_read: cached },
        // Grouped by batch and service_tier (GROUP_BY above), so each bucket ran on one tier.
        ...tier(r.batch === true ? "batch" : r.service_tier),
        // A bucket sums many calls: prompt-size tiers cannot be judged from its totals (lib/pricing/match.ts).
        properties: props({ ...provider, aggregate: true, project_id: r.project_id, api_key_id: r.api_key_id, user_id: r.user_id, batch: r.batch, service_tier: r.service_tier }),
      };
    }
    case "openai.costs": {
      const amount = r.amount as { value?: unknown; currency?: unknown } | undefined;
      return {
        ...base(settings, bucket, [r.line_item, r.project_id]),
        type: "llm.cost",
        // A float in the API: its shortest decimal, cut to the 10 places the contract keeps.
        cost: { amount: new Decimal(String(n(amount?.value))).toDecimalPlaces(10).toFixed(), currency: String(amount?.currency ?? "usd").toUpperCase() },
        properties: props({ ...provider, line_item: r.line_item, project_id: r.project_id }),
      };
    }
    case "anthropic.usage": {
      const creation = (r.cache_creation ?? {}) as Record<string, unknown>;
      return {
        ...base(settings, bucket, [r.model, r.workspace_id, r.api_key_id, r.service_tier, r.context_window]),
        type: "llm.usage",
        ...(s(r.model) ? { model: r.model } : {}),
        tokens: {
          input: n(r.uncached_input_tokens),
          output: n(r.output_tokens),
          cache_read: n(r.cache_read_input_tokens),
          cache_creation: n(creation.ephemeral_5m_input_tokens) + n(creation.ephemeral_1h_input_tokens),
        },
        ...tier(r.service_tier),
        // context_window ("0-200k" | "200k-1M") names the prompt-size tier of the bucket's calls.
        properties: props({
          ...provider,
          aggregate: true,
          workspace_id: r.workspace_id,
          api_key_id: r.api_key_id,
          service_tier: r.service_tier,
          context_window: r.context_window,
          web_search_requests: (r.server_tool_use as Record<string, unknown> | undefined)?.web_search_requests,
        }),
      };
    }
    default: {
      // Anthropic reports cost in the currency's lowest unit (cents) as a decimal string.
      const cents = new Decimal(String(r.amount ?? "0"));
      return {
        ...base(settings, bucket, [r.workspace_id, r.description, r.model, r.cost_type, r.token_type, r.service_tier, r.context_window]),
        type: "llm.cost",
        ...(s(r.model) ? { model: r.model } : {}),
        cost: { amount: cents.div(100).toDecimalPlaces(10).toFixed(), currency: String(r.currency ?? "USD").toUpperCase() },
        properties: props({ ...provider, workspace_id: r.workspace_id, description: r.description, cost_type: r.cost_type, token_type: r.token_type, service_tier: r.service_tier }),
      };
    }
  }
}

/** One response page → events, the cursor for the next page, and how far it reached. */
export function parsePage(settings: ConnectorSettings, body: unknown): Page {
  if (typeof body !== "object" || body === null) throw new Error("response is not a JSON object");
  const b = body as Record<string, unknown>;
  const list = buckets(settings, b);
  const events = list.flatMap((bucket) => bucket.results.map((r) => mapResult(settings, bucket, r)));
  const lastBucketEnd = list.length ? list[list.length - 1]!.end : null;
  const nextPage = b.has_more === true && typeof b.next_page === "string" && b.next_page ? b.next_page : null;
  return { events, nextPage, lastBucketEnd };
}
