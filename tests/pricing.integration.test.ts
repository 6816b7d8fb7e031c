// Pricing over real HTTP (issue 17, items 1–5): the catalog loaded through the admin preview/apply, events priced by
// normalised ids, tiers, service tiers, aliases and discounts, unpriced usage flagged and reported per model with
// totals checked against the raw events, the drill-down naming the rule, and who may change what.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startAppServer, type AppServer } from "./helpers/app-server";
import { INGEST_KEY, READ_KEY, emails, login, seedFixture } from "./authorization/fixture";

let app: AppServer;
let db: pg.Pool;
let adminCookie: string;
let financeCookie: string;
const yesterday = new Date(Date.now() - 86_400_000).toISOString();
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const range = `from=${day(-3)}&to=${day(0)}`;

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL!;
  await seedFixture(databaseUrl);
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  app = await startAppServer({ databaseUrl });
  adminCookie = (await login(app.baseUrl, emails.admin))!;
  financeCookie = (await login(app.baseUrl, emails.finance))!;
});

afterAll(async () => {
  await app?.stop();
  await db?.end();
});

const session = (cookie: string) => ({ cookie, origin: app.baseUrl, "content-type": "application/json" });
async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${app.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field below
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
async function ingest(events: Record<string, unknown>[]) {
  const r = await call("POST", "/api/v1/events", { authorization: `Bearer ${INGEST_KEY}`, "content-type": "application/json" }, { events });
  expect(r.status).toBe(200);
  expect(r.body.rejected).toEqual([]);
  return r.body;
}
const ev = (id: string, extra: Record<string, unknown>) => ({ id, timestamp: yesterday, agent: "triage", type: "llm.call", department: "SUPPORT", ...extra });
const stored = async (id: string) =>
  (await db.query("SELECT cost::text, computed_cost::text AS computed, unpriced, price_rule, service_tier, computed_price_id FROM usage_events WHERE event_key = $1", [id])).rows[0];

describe("catalog update from the installed package", () => {
  test("previews the diff, applies it with the preview's hash, and refuses a stale hash", async () => {
    const preview = await call("POST", "/api/v1/pricing/catalog/preview", session(adminCookie), { source: "package" });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ version: "@pydantic/genai-prices@0.1.8", currentVersion: null, removed: 0, changed: 0 });
    expect(preview.body.added).toBeGreaterThan(1_500);
    expect(preview.body.changes[0]).toMatchObject({ before: null });
    expect(preview.body.skipped.length).toBeGreaterThan(0);

    const applied = await call("POST", "/api/v1/pricing/catalog", session(adminCookie), { source: "package", expect: preview.body.hash });
    expect(applied.status).toBe(200);
    const { rows } = await db.query("SELECT count(*)::int AS n FROM model_prices WHERE source = 'catalog'");
    expect(rows[0].n).toBe(preview.body.added);

    const again = await call("POST", "/api/v1/pricing/catalog/preview", session(adminCookie), { source: "package" });
    expect(again.body).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: preview.body.added });
    expect((await call("POST", "/api/v1/pricing/catalog", session(adminCookie), { source: "package", expect: preview.body.hash })).status).toBe(409);
    const changes = await db.query("SELECT kind, all_models, range_from FROM price_changes WHERE kind = 'catalog.update'");
    expect(changes.rows).toHaveLength(1);
    expect(changes.rows[0]).toMatchObject({ all_models: true });
  });

  test("an uploaded catalog file is checked before anything changes", async () => {
    const bad = await call("POST", "/api/v1/pricing/catalog/preview", session(adminCookie), { source: "file", version: "x", catalog: [{ id: "p" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/models must be an array/);
  });
});

describe("ingestion prices real ids and flags what it cannot price", () => {
  test("normalised ids, long-context tier, batch tier; unpriced events keep cost 0 with the flag", async () => {
    await ingest([
      ev("p-openai", { model: "gpt-4o-2024-08-06", tokens: { input: 1_000_000, output: 100_000 } }),
      ev("p-bedrock", { model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0", tokens: { input: 100_000, output: 10_000 } }),
      ev("p-long-batch", { model: "claude-sonnet-4-5-20250929", service_tier: "batch", tokens: { input: 250_000, output: 1_000 } }),
      ev("u-azure", { model: "prod-gpt4o-eastus", tokens: { input: 1_000, output: 10 } }),
      ev("u-mystery", { model: "mystery-llm-7b", tokens: { input: 2_000, output: 300, cache_read: 50 } }),
      ev("u-mystery-2", { model: "mystery-llm-7b", tokens: { input: 1, reasoning: 4 } }),
      ev("u-nomodel", { tokens: { input: 10 } }),
      ev("u-priority", { model: "gpt-4o", service_tier: "priority", tokens: { input: 7 } }),
      ev("r-reported", { model: "mystery-llm-7b", tokens: { input: 99 }, cost: { amount: "0.5", currency: "USD" } }),
    ]);
    expect(await stored("p-openai")).toMatchObject({ cost: "3.5000000000", unpriced: false, service_tier: null });
    expect((await stored("p-openai")).price_rule).toMatch(/^catalog:openai\/gpt-4o; as-sent/);
    expect(await stored("p-bedrock")).toMatchObject({ cost: "0.4500000000", unpriced: false });
    // 250k prompt tokens > 200k: 6 / 22.50 per 1M, then the Batch API's 50%.
    expect(await stored("p-long-batch")).toMatchObject({ cost: "0.7612500000", unpriced: false, service_tier: "batch" });
    expect((await stored("p-long-batch")).price_rule).toMatch(/batch ×1\/2; tier >200000$/);
    for (const id of ["u-azure", "u-mystery", "u-mystery-2", "u-nomodel", "u-priority"]) {
      expect(await stored(id), id).toMatchObject({ cost: "0.0000000000", computed: null, unpriced: true, computed_price_id: null });
    }
    expect(await stored("r-reported")).toMatchObject({ cost: "0.5000000000", unpriced: false });
  });

  test("GET /api/v1/pricing/unpriced lists each model with events and tokens equal to the raw events", async () => {
    const r = await call("GET", `/api/v1/pricing/unpriced?${range}`, { authorization: `Bearer ${READ_KEY}` });
    expect(r.status).toBe(200);
    const raw = await db.query(
      `SELECT coalesce(model, '') AS model, count(*)::int AS events, sum(input_tokens)::int AS input, sum(output_tokens)::int AS output,
         sum(cache_read_tokens)::int AS cache_read, sum(cache_creation_tokens)::int AS cache_creation, sum(reasoning_tokens)::int AS reasoning
       FROM usage_events WHERE unpriced GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    expect(r.body.models).toEqual(
      raw.rows.map((x) => ({
        model: x.model,
        provider: r.body.models.find((m: { model: string }) => m.model === x.model)?.provider ?? null,
        events: x.events,
        tokens: { input: x.input, output: x.output, cache_read: x.cache_read, cache_creation: x.cache_creation, reasoning: x.reasoning },
      })),
    );
    expect(r.body.models.find((m: { model: string }) => m.model === "mystery-llm-7b")).toEqual({
      model: "mystery-llm-7b",
      provider: null,
      events: 2,
      tokens: { input: 2_001, output: 300, cache_read: 50, cache_creation: 0, reasoning: 4 },
    });
    expect(r.body.models.find((m: { model: string }) => m.model === "gpt-4o")).toMatchObject({ provider: "openai", events: 1 });
    expect((await call("GET", `/api/v1/pricing/unpriced?from=${day(0)}&to=${day(-3)}`, { authorization: `Bearer ${READ_KEY}` })).status).toBe(400);
  });

  test("every rollup's unpriced counts equal the raw events; Overview and Usage report them", async () => {
    const raw = (await db.query("SELECT count(*) FILTER (WHERE unpriced)::int AS events, coalesce(sum(input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens + reasoning_tokens) FILTER (WHERE unpriced), 0)::int AS tokens FROM usage_events")).rows[0];
    expect(raw).toEqual({ events: 5, tokens: 1_000 + 10 + 2_350 + 5 + 10 + 7 });
    for (const table of ["usage_rollup_hourly", "usage_rollup_daily", "usage_rollup_daily_core", "usage_rollup_hourly_core", "usage_rollup_daily_customer"]) {
      const r = (await db.query(`SELECT sum(unpriced_events)::int AS events, sum(unpriced_input_tokens + unpriced_output_tokens + unpriced_cache_read_tokens + unpriced_cache_creation_tokens + unpriced_reasoning_tokens)::int AS tokens FROM ${table}`)).rows[0];
      expect(r, table).toEqual(raw);
    }
    const overview = await call("GET", `/api/v1/overview?${range}`, { authorization: `Bearer ${READ_KEY}` });
    expect(overview.body.unpriced).toEqual(raw);
    const usage = await call("GET", `/api/v1/usage?${range}&groupBy=model`, { authorization: `Bearer ${READ_KEY}` });
    expect(usage.status).toBe(200);
    expect(usage.body.unpriced).toEqual(raw);
  });

  test("the event drill-down names the rule that priced each event", async () => {
    const r = await call("GET", `/api/v1/agents/triage/events?${range}&limit=50`, session(adminCookie));
    expect(r.status).toBe(200);
    const byModel = (m: string) => r.body.events.find((e: { model: string | null }) => e.model === m);
    expect(byModel("us.anthropic.claude-3-7-sonnet-20250219-v1:0")).toMatchObject({ costSource: "computed", priceRule: expect.stringMatching(/^catalog:aws\//) });
    expect(byModel("prod-gpt4o-eastus")).toMatchObject({ costSource: "unpriced", priceRule: null, priceId: null });
  });
});

describe("aliases and discounts", () => {
  test("an alias prices a deployment name from then on and records what a re-cost would cover", async () => {
    const created = await call("POST", "/api/v1/pricing/aliases", session(adminCookie), { alias: "Prod-GPT4o-EastUS", model: "gpt-4o", provider: "azure" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ alias: "prod-gpt4o-eastus", model: "gpt-4o", provider: "azure" });
    await ingest([ev("a-azure", { model: "prod-gpt4o-eastus", tokens: { input: 1_000_000 } })]);
    expect(await stored("a-azure")).toMatchObject({ cost: "2.5000000000", unpriced: false });
    expect((await stored("a-azure")).price_rule).toMatch(/^alias:prod-gpt4o-eastus→gpt-4o/);
    const change = (await db.query("SELECT models, all_models, range_from, range_to FROM price_changes WHERE kind = 'alias.create'")).rows[0];
    expect(change).toEqual({ models: ["prod-gpt4o-eastus"], all_models: false, range_from: new Date(0), range_to: null });
    expect((await call("POST", "/api/v1/pricing/aliases", session(adminCookie), { alias: "prod-gpt4o-eastus", model: "gpt-4o" })).status).toBe(409);
  });

  test("a per-model discount beats the provider's, applies to catalog prices only, and shows on the prices list", async () => {
    const provider = await call("POST", "/api/v1/pricing/discounts", session(adminCookie), { provider: "openai", percent: "10", effectiveFrom: "2020-01-01T00:00:00Z" });
    const model = await call("POST", "/api/v1/pricing/discounts", session(adminCookie), { provider: "openai", model: "gpt-4o", percent: 20, effectiveFrom: "2020-01-01T00:00:00Z", note: "EA 2026" });
    expect([provider.status, model.status]).toEqual([201, 201]);
    await ingest([
      ev("d-4o", { model: "gpt-4o-2024-11-20", tokens: { input: 1_000_000, output: 3 } }),
      ev("d-mini", { model: "gpt-4o-mini", tokens: { input: 1_000_000 } }),
    ]);
    // 2.50 + 3 × 10/1M = 2.50003, less 20 % = 2.000024; gpt-4o-mini 0.15 less 10 % = 0.135.
    expect(await stored("d-4o")).toMatchObject({ cost: "2.0000240000" });
    expect((await stored("d-4o")).price_rule).toMatch(/discount 20\.0000%/);
    expect(await stored("d-mini")).toMatchObject({ cost: "0.1350000000" });
    const prices = await call("GET", "/api/v1/pricing/prices?search=gpt-4o-mini&provider=openai", session(adminCookie));
    expect(prices.body.items.find((p: { model: string }) => p.model === "gpt-4o-mini")).toMatchObject({
      source: "catalog",
      input: "0.150000",
      discountPercent: "10",
      effective: { input: "0.135", output: "0.54" },
    });
    const changes = await db.query("SELECT models, all_models, provider FROM price_changes WHERE kind = 'discount.create' ORDER BY id");
    expect(changes.rows).toEqual([
      { models: [], all_models: true, provider: "openai" },
      { models: ["gpt-4o"], all_models: false, provider: "openai" },
    ]);
  });

  test("an organization's own row overrides the catalog model, and its edits record a price change", async () => {
    const r = await call("POST", "/api/v1/model-prices", session(adminCookie), {
      model: "gpt-4o", provider: "openai", currency: "USD", inputPerMTok: "1.111111", outputPerMTok: "4", effectiveFrom: "2020-01-01T00:00:00Z",
    });
    expect(r.status).toBe(201);
    await ingest([ev("o-4o", { model: "gpt-4o-2024-08-06", tokens: { input: 1_000_000 } })]);
    expect(await stored("o-4o")).toMatchObject({ cost: "1.1111110000" });
    expect((await stored("o-4o")).price_rule).toMatch(/^override:openai\/gpt-4o/);
    const catalogRow = (await db.query("SELECT id FROM model_prices WHERE source = 'catalog' LIMIT 1")).rows[0].id;
    expect((await call("DELETE", `/api/v1/model-prices/${catalogRow}`, session(adminCookie))).status).toBe(409);
    expect((await db.query("SELECT count(*)::int AS n FROM price_changes WHERE kind = 'price.create' AND models @> ARRAY['gpt-4o']")).rows[0].n).toBe(1);
  });

  test("bad input is a 400 naming the field and changes nothing; only admins may write", async () => {
    const before = (await db.query("SELECT (SELECT count(*) FROM model_aliases) + (SELECT count(*) FROM price_discounts) AS n")).rows[0].n;
    const pct = await call("POST", "/api/v1/pricing/discounts", session(adminCookie), { provider: "openai", percent: "150", effectiveFrom: "2020-01-01T00:00:00Z" });
    expect(pct.status).toBe(400);
    expect(pct.body.error.details).toEqual([expect.objectContaining({ path: "percent" })]);
    const alias = await call("POST", "/api/v1/pricing/aliases", session(adminCookie), { alias: "x", model: "" });
    expect(alias.status).toBe(400);
    expect(alias.body.error.details[0].path).toBe("model");
    expect((await call("POST", "/api/v1/pricing/aliases", session(financeCookie), { alias: "y", model: "gpt-4o" })).status).toBe(403);
    expect((await call("POST", "/api/v1/pricing/discounts", { authorization: `Bearer ${READ_KEY}`, "content-type": "application/json" }, { provider: "openai", percent: 1, effectiveFrom: "2020-01-01T00:00:00Z" })).status).toBe(401);
    expect((await call("GET", "/api/v1/pricing/unpriced", {})).status).toBe(401);
    expect((await db.query("SELECT (SELECT count(*) FROM model_aliases) + (SELECT count(*) FROM price_discounts) AS n")).rows[0].n).toBe(before);
  });
});
