import { describe, expect, test } from "vitest";
import { pageRequest, parsePage, window, type ConnectorSettings } from "./providers";

const openaiUsage: ConnectorSettings = { provider: "openai", dataset: "usage", baseUrl: "http://x/", agentKey: "openai-org", departmentCode: "ENG" };
const anthropicCosts: ConnectorSettings = { provider: "anthropic", dataset: "costs", baseUrl: "http://y", agentKey: "anthropic-org", departmentCode: null };

describe("window", () => {
  test("settled, bucket-aligned, from the checkpoint or the backfill", () => {
    const now = new Date("2026-11-20T10:35:00Z");
    expect(window(openaiUsage, null, 2, now)).toEqual({ start: new Date("2026-11-18T09:00:00Z"), end: new Date("2026-11-20T09:00:00Z") });
    expect(window(anthropicCosts, new Date("2026-11-18T00:00:00Z"), 30, now)).toEqual({ start: new Date("2026-11-18T00:00:00Z"), end: new Date("2026-11-19T00:00:00Z") });
    expect(window(anthropicCosts, new Date("2026-11-19T00:00:00Z"), 30, now)).toBeNull();
  });
});

describe("requests", () => {
  test("OpenAI: unix seconds, group_by, bearer key, page cursor", () => {
    const { url, headers } = pageRequest(openaiUsage, "sk-admin", { start: new Date(0), end: new Date(3_600_000) }, "cur1");
    expect(url).toBe("http://x/v1/organization/usage/completions?start_time=0&end_time=3600&group_by=model&group_by=project_id&group_by=api_key_id&group_by=batch&group_by=service_tier&bucket_width=1h&limit=168&page=cur1");
    expect(headers).toEqual({ authorization: "Bearer sk-admin" });
  });
  test("Anthropic: RFC 3339, group_by[], x-api-key + version", () => {
    const { url, headers } = pageRequest(anthropicCosts, "sk-ant-admin", { start: new Date(0), end: new Date(86_400_000) }, null);
    expect(url).toBe("http://y/v1/organizations/cost_report?starting_at=1970-01-01T00%3A00%3A00.000Z&ending_at=1970-01-02T00%3A00%3A00.000Z&group_by%5B%5D=workspace_id&group_by%5B%5D=description&bucket_width=1d&limit=30");
    expect(headers).toEqual({ "x-api-key": "sk-ant-admin", "anthropic-version": "2023-06-01" });
  });
});

describe("pages", () => {
  test("OpenAI completions usage: cached tokens taken out of input, deterministic ids", () => {
    const body = {
      object: "page",
      data: [{ object: "bucket", start_time: 1730419200, end_time: 1730422800, results: [{ object: "organization.usage.completions.result", input_tokens: 1000, output_tokens: 500, input_cached_tokens: 800, num_model_requests: 5, project_id: "proj_1", model: "gpt-4o", batch: false, api_key_id: null, user_id: null }] }],
      has_more: true,
      next_page: "page_2",
    };
    const page = parsePage(openaiUsage, body);
    expect(page.nextPage).toBe("page_2");
    expect(page.lastBucketEnd).toEqual(new Date(1730422800_000));
    expect(page.events[0]).toMatchObject({
      timestamp: "2024-11-01T00:00:00.000Z",
      agent: "openai-org",
      department: "ENG",
      type: "llm.usage",
      quantity: 5,
      model: "gpt-4o",
      tokens: { input: 200, output: 500, cache_read: 800 },
      properties: { provider: "openai", project_id: "proj_1", batch: false },
    });
    expect(parsePage(openaiUsage, body).events[0]!.id).toBe(page.events[0]!.id);
  });

  test("OpenAI costs: float amount to exact decimal, currency upper-cased", () => {
    const page = parsePage({ ...openaiUsage, dataset: "costs" }, { data: [{ start_time: 1730419200, end_time: 1730505600, results: [{ object: "organization.costs.result", amount: { value: 0.06, currency: "usd" }, line_item: "Image models", project_id: "proj_abc" }] }], has_more: false, next_page: null });
    expect(page.nextPage).toBeNull();
    expect(page.events[0]).toMatchObject({ type: "llm.cost", cost: { amount: "0.06", currency: "USD" }, properties: { line_item: "Image models" } });
  });

  test("Anthropic usage report: uncached input, both cache-creation TTLs", () => {
    const page = parsePage({ ...anthropicCosts, dataset: "usage" }, {
      data: [{ starting_at: "2026-11-01T00:00:00Z", ending_at: "2026-11-01T01:00:00Z", results: [{ uncached_input_tokens: 1500, cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 500 }, cache_read_input_tokens: 200, output_tokens: 500, server_tool_use: { web_search_requests: 10 }, api_key_id: "apikey_1", workspace_id: "wrkspc_1", model: "claude-sonnet-4-20250514", service_tier: "standard", context_window: "0-200k" }] }],
      has_more: false,
      next_page: null,
    });
    expect(page.events[0]).toMatchObject({
      type: "llm.usage",
      model: "claude-sonnet-4-20250514",
      tokens: { input: 1500, output: 500, cache_read: 200, cache_creation: 1500 },
      properties: { provider: "anthropic", workspace_id: "wrkspc_1", web_search_requests: 10 },
    });
  });

  test("Anthropic cost report: cents string → currency units, exactly", () => {
    const page = parsePage(anthropicCosts, { data: [{ starting_at: "2026-11-01T00:00:00Z", ending_at: "2026-11-02T00:00:00Z", results: [{ amount: "123.45", currency: "USD", cost_type: "tokens", description: "Claude Sonnet 4 Usage - Input Tokens", model: "claude-sonnet-4", token_type: "uncached_input_tokens", workspace_id: null, service_tier: "standard", context_window: "0-200k" }] }], has_more: true, next_page: "n2" });
    expect(page.events[0]).toMatchObject({ type: "llm.cost", model: "claude-sonnet-4", cost: { amount: "1.2345", currency: "USD" }, properties: { cost_type: "tokens", token_type: "uncached_input_tokens" } });
    expect(page.nextPage).toBe("n2");
  });
});
