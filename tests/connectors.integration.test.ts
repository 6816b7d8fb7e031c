// Pull connectors against a local HTTP server serving the providers' documented formats: cursor pagination,
// checkpoints, retries, and a failure mid-run followed by a re-run that must not double-count.
import "@/tests/helpers/allow-loopback-http";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { db, pool } from "@/lib/db";
import { encryptSecret } from "@/lib/connectors/crypto";
import { claim, connectorSource, runClaimed } from "@/lib/connectors/run";

const NOW = new Date("2026-11-20T12:30:00Z");
const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 };
const HOUR = 3600;
const T0 = Date.parse("2026-11-20T00:00:00Z") / 1000;

/** OpenAI usage: 3 pages of hourly buckets, two results each (two models). */
function openaiPage(page: string | null) {
  const index = page === null ? 0 : Number(page.slice(1));
  const buckets = [0, 1].map((b) => {
    const start = T0 + (index * 2 + b) * HOUR;
    return {
      object: "bucket",
      start_time: start,
      end_time: start + HOUR,
      results: ["gpt-4o", "gpt-4o-mini"].map((model, m) => ({
        object: "organization.usage.completions.result",
        input_tokens: 1000 + m,
        input_cached_tokens: 100,
        output_tokens: 10,
        num_model_requests: 2,
        model,
        project_id: "proj_1",
        api_key_id: null,
        user_id: null,
        batch: null,
      })),
    };
  });
  const more = index < 2;
  return { object: "page", data: buckets, has_more: more, next_page: more ? `p${index + 1}` : null };
}

const anthropicPages: Record<string, unknown> = {
  first: { data: [{ starting_at: "2026-11-18T00:00:00Z", ending_at: "2026-11-19T00:00:00Z", results: [{ amount: "1234.5678", currency: "USD", cost_type: "tokens", description: "Input", model: "claude-sonnet-4", token_type: "uncached_input_tokens", workspace_id: "w1" }] }], has_more: true, next_page: "second" },
  second: { data: [{ starting_at: "2026-11-19T00:00:00Z", ending_at: "2026-11-20T00:00:00Z", results: [{ amount: "0.01", currency: "USD", cost_type: "web_search", description: "Web search", model: null, token_type: null, workspace_id: "w1" }] }], has_more: false, next_page: null },
};

let server: http.Server;
let baseUrl = "";
const requests: URL[] = [];
const failures: Record<string, number> = {}; // page → remaining 500s (Infinity = down)

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://fixture");
    requests.push(url);
    const page = url.searchParams.get("page");
    const key = page ?? "first";
    if ((failures[key] ?? 0) > 0) {
      failures[key]!--;
      res.writeHead(503, { "content-type": "application/json" }).end('{"error":"upstream busy"}');
      return;
    }
    const authorized = req.headers.authorization === "Bearer sk-admin-openai" || req.headers["x-api-key"] === "sk-ant-admin";
    if (!authorized) {
      res.writeHead(401).end('{"error":"bad key"}');
      return;
    }
    const body = url.pathname === "/v1/organization/usage/completions" ? openaiPage(page) : anthropicPages[key];
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function connector(provider: string, dataset: string, key: string, backfillDays: number) {
  return db.connector.create({
    data: { name: `${provider} ${dataset}`, provider, dataset, baseUrl, apiKeyEncrypted: encryptSecret(key), agentKey: `${provider}-org`, backfillDays },
  });
}

async function totals(source: string) {
  const r = await pool.query(
    "SELECT count(*)::int AS n, sum(input_tokens)::int AS input, sum(cache_read_tokens)::int AS cached, sum(quantity)::text AS quantity, sum(cost)::text AS cost FROM usage_events WHERE source = $1",
    [source],
  );
  return r.rows[0];
}

async function run(id: number) {
  expect(await claim(id, false)).toBe(true);
  const runId = await runClaimed(id, { now: NOW, retry: FAST });
  return db.connectorRun.findUniqueOrThrow({ where: { id: runId } });
}

describe("OpenAI usage connector", () => {
  test("a failure mid-run keeps page 1, the re-run completes without double counting, a third run has nothing new", async () => {
    const c = await connector("openai", "usage", "sk-admin-openai", 1);
    failures.p1 = Infinity;
    const first = await run(c.id);
    expect(first).toMatchObject({ status: "failed", pages: 1, accepted: 4, duplicates: 0, rejected: 0 });
    expect(first.error).toContain("HTTP 503");
    expect(requests.filter((u) => u.searchParams.get("page") === "p1")).toHaveLength(FAST.attempts);
    const afterFailure = await db.connector.findUniqueOrThrow({ where: { id: c.id } });
    expect(afterFailure.checkpoint).toEqual(new Date((T0 + 2 * HOUR) * 1000));
    expect(afterFailure.leaseUntil).toBeNull();

    failures.p1 = 1; // one more transient error: retried within the run
    requests.length = 0;
    const second = await run(c.id);
    expect(second).toMatchObject({ status: "succeeded", pages: 3, accepted: 8, duplicates: 4, rejected: 0, error: null });
    // The re-run asked from the checkpoint on.
    expect(requests[0]!.searchParams.get("start_time")).toBe(String(T0 + 2 * HOUR));
    expect(await totals(connectorSource(c.id))).toMatchObject({ n: 12, input: 12 * 900 + 6, cached: 1200, quantity: "24.000000" });

    const third = await run(c.id);
    expect(third).toMatchObject({ status: "succeeded", pages: 0, accepted: 0 });
    expect((await db.connector.findUniqueOrThrow({ where: { id: c.id } })).checkpoint).toEqual(new Date("2026-11-20T11:00:00Z"));

    // Rollups hold exactly what the raw events hold.
    const rollup = await pool.query("SELECT sum(events)::int AS n, sum(input_tokens)::int AS input FROM usage_rollup_hourly r JOIN agents a ON a.id = r.agent_id WHERE a.key = 'openai-org'");
    expect(rollup.rows[0]).toEqual({ n: 12, input: 12 * 900 + 6 });
  });

  test("a rejected key fails the run at once, without retries", async () => {
    const c = await connector("openai", "usage", "wrong", 1);
    requests.length = 0;
    const r = await run(c.id);
    expect(r).toMatchObject({ status: "failed", pages: 0 });
    expect(r.error).toContain("HTTP 401");
    expect(requests).toHaveLength(1);
  });

  test("a busy connector cannot be claimed twice", async () => {
    const c = await connector("openai", "usage", "sk-admin-openai", 1);
    expect(await claim(c.id, false)).toBe(true);
    expect(await claim(c.id, false)).toBe(false);
  });
});

describe("Anthropic cost connector", () => {
  test("follows next_page and converts cents exactly", async () => {
    const c = await connector("anthropic", "costs", "sk-ant-admin", 3);
    const r = await run(c.id);
    expect(r).toMatchObject({ status: "succeeded", pages: 2, accepted: 2 });
    expect(await totals(connectorSource(c.id))).toMatchObject({ n: 2, cost: "12.3457780000" });
    expect(requests.some((u) => u.searchParams.get("page") === "second" && u.searchParams.getAll("group_by[]").includes("description"))).toBe(true);
  });
});
