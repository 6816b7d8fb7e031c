import { expect, test } from "vitest";
import { AgentLedgerClient, AgentLedgerError } from "./index";

const ev = (id: string) => ({ id, timestamp: "2026-11-01T10:00:00Z", agent: "a", type: "agent.action" });

function fakeFetch(statuses: number[], seen: unknown[][]) {
  return (async (_url: string, init: RequestInit) => {
    const events = (JSON.parse(init.body as string) as { events: unknown[] }).events;
    seen.push(events);
    const status = statuses.shift() ?? 200;
    const body = status === 200 ? { accepted: events.length, duplicates: 0, rejected: [{ index: 0, id: "x", errors: ["e"] }] } : { error: { message: "nope" } };
    return new Response(JSON.stringify(body), { status, headers: status === 429 ? { "retry-after": "0" } : {} });
  }) as typeof fetch;
}

test("batches by size, retries 429/5xx, offsets rejection indexes", async () => {
  const seen: unknown[][] = [];
  const client = new AgentLedgerClient({ baseUrl: "http://x", apiKey: "k", batchSize: 2, retryDelayMs: 1, fetch: fakeFetch([429, 503], seen) });
  expect(await client.track(ev("1"))).toBeNull();
  expect(await client.track(ev("2"))).toMatchObject({ accepted: 2 }); // third attempt succeeds
  await client.track(ev("3"));
  await client.track(ev("4"));
  await client.track(ev("5"));
  const rest = await client.flush();
  expect(rest).toEqual({ accepted: 1, duplicates: 0, rejected: [{ index: 0, id: "x", errors: ["e"] }] });
  expect(seen.map((s) => s.length)).toEqual([2, 2, 2, 2, 1]);
});

test("a 400 is not retried", async () => {
  const seen: unknown[][] = [];
  const client = new AgentLedgerClient({ baseUrl: "http://x", apiKey: "k", retryDelayMs: 1, fetch: fakeFetch([400], seen) });
  await expect(client.send([ev("1")])).rejects.toBeInstanceOf(AgentLedgerError);
  expect(seen).toHaveLength(1);
});

test("checkBudget posts the check and returns the decision; a 503 is retried once, a 400 not at all", async () => {
  const calls: { url: string; body: unknown }[] = [];
  const statuses = [503, 200, 400];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(init.body as string) });
    const status = statuses.shift()!;
    const body = status === 200 ? { allowed: false, level: "hard", limit: null, remaining: "0.00", resetsAt: null, answeredFrom: "cache", cacheAgeMs: 0 } : { error: { message: "no" } };
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
  const client = new AgentLedgerClient({ baseUrl: "http://x/", apiKey: "k", retryDelayMs: 1, fetch: fetchFn });
  const answer = await client.checkBudget({ agent: "a", estimatedCost: { amount: "0.5", currency: "USD" } });
  expect(answer).toMatchObject({ allowed: false, level: "hard" });
  expect(calls.map((c) => c.url)).toEqual(["http://x/api/v1/budget-checks", "http://x/api/v1/budget-checks"]);
  expect(calls[0]!.body).toEqual({ agent: "a", estimatedCost: { amount: "0.5", currency: "USD" } });
  await expect(client.checkBudget({ agent: "a" })).rejects.toMatchObject({ status: 400 });
  expect(calls).toHaveLength(3);
});
