// Budget checks over real HTTP on two app instances (two `next start` processes on one database): the typed client's
// checkBudget, scopes, bad input, and both instances agreeing within a second after an event lands on either.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { budgetCheckResponse } from "@/lib/budgets/schemas";
import { AgentLedgerClient, AgentLedgerError } from "@/lib/client";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { startAppServer, type AppServer } from "@/tests/helpers/app-server";

let a: AppServer;
let b: AppServer;
let ingestKey: string;
let checkKey: string;
let readKey: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Http Org', 'EUR', 'Europe/Berlin', now())");
  await pool.query("INSERT INTO departments (id, code, name, updated_at) VALUES (1, 'RND', 'R&D', now())");
  await pool.query("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('coder', 'Coder', 1, now())");
  await pool.query("INSERT INTO budget_limits (scope, department_id, period, soft, hard, fail_mode, updated_at) VALUES ('department', 1, 'month', 2, 3, 'closed', now())");
  ingestKey = (await createApiKey({ name: "ingest", scopes: ["ingest"], source: "ing", rateLimitPerMinute: 100_000 })).secret;
  checkKey = (await createApiKey({ name: "check", scopes: ["check"], source: "chk", rateLimitPerMinute: 100_000 })).secret;
  readKey = (await createApiKey({ name: "read", scopes: ["read"], source: "rd" })).secret;
  [a, b] = await Promise.all([startAppServer({ databaseUrl: env().DATABASE_URL }), startAppServer({ databaseUrl: env().DATABASE_URL })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db.$disconnect();
});

const client = (server: AppServer, apiKey: string) => new AgentLedgerClient({ baseUrl: server.baseUrl, apiKey, retryDelayMs: 10 });
let n = 0;
const spend = (server: AppServer, amount: string) =>
  client(server, ingestKey).send([{ id: `h-${++n}`, timestamp: new Date().toISOString(), agent: "coder", type: "llm.call", cost: { amount, currency: "EUR" } }]);

/** Polls until `server` reports `spent`; returns the answer and how long it took. */
async function until(server: AppServer, spent: string) {
  const t0 = Date.now();
  let r = await client(server, checkKey).checkBudget({ agent: "coder" });
  while (r.limit?.spent !== spent && Date.now() - t0 < 1_000) {
    await sleep(25);
    r = await client(server, checkKey).checkBudget({ agent: "coder" });
  }
  return { r, ms: Date.now() - t0 };
}

it("answers over HTTP with a check or ingest key; a read key is refused; bad input is a 400 naming the field", async () => {
  const r = await client(a, checkKey).checkBudget({ agent: "coder" });
  expect(budgetCheckResponse.parse(r)).toMatchObject({ allowed: true, level: "ok", limit: { scope: "department", target: "RND", period: "month", spent: "0.00" }, remaining: "3.00" });
  expect(await client(b, ingestKey).checkBudget({ agent: "coder" })).toMatchObject({ allowed: true });
  await expect(client(a, readKey).checkBudget({ agent: "coder" })).rejects.toMatchObject({ status: 403 });
  for (const [body, field] of [[{ agent: "coder", estimatedCost: { amount: "abc", currency: "EUR" } }, "estimatedCost.amount"], [{ agent: "coder", department: "NOPE" }, "department"], [{ agent: "coder", estimatedCost: { amount: "1", currency: "USD" } }, "estimatedCost.currency"]] as const) {
    const error = await client(a, checkKey).checkBudget(body as never).catch((e: AgentLedgerError) => e);
    expect(error).toBeInstanceOf(AgentLedgerError);
    expect((error as AgentLedgerError).status).toBe(400);
    expect(JSON.stringify((error as AgentLedgerError).body)).toContain(field);
  }
});

it("two instances agree within a second after an event lands on either", async () => {
  await spend(a, "1.50");
  expect((await client(a, checkKey).checkBudget({ agent: "coder" })).limit?.spent).toBe("1.50"); // at once where it landed
  const onB = await until(b, "1.50");
  expect(onB.r).toMatchObject({ allowed: true, level: "ok" });
  await spend(b, "1.00");
  expect(await client(b, checkKey).checkBudget({ agent: "coder" })).toMatchObject({ level: "soft", limit: { spent: "2.50" } });
  const onA = await until(a, "2.50");
  expect(onA.r).toMatchObject({ allowed: true, level: "soft" });
  await spend(a, "0.50");
  for (const server of [a, b]) {
    const { r } = await until(server, "3.00");
    expect(r).toMatchObject({ allowed: false, level: "hard", remaining: "0.00" });
  }
  const { rows } = await pool.query<{ s: string }>("SELECT sum(cost)::numeric(20,2)::text AS s FROM usage_events");
  expect(rows[0]!.s).toBe("3.00");
  console.log(`[budget] instance B saw A's event after ${onB.ms} ms; A saw B's after ${onA.ms} ms`);
});
