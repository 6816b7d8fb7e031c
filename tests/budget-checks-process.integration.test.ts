// scripts/serve.mjs answers budget checks in a process of its own, beside the Next process that serves everything
// else (ingestion included): the check process sees an ingested event's spend (relayed before the batch is
// acknowledged, else by NOTIFY within a second), a key revoked through the API is refused by the very next check,
// and one revoked straight in SQL within a second (the trigger's NOTIFY).
import fs from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { startAppServer, type AppServer } from "@/tests/helpers/app-server";
import { emails, login, seedFixture } from "./authorization/fixture";

let app: AppServer;
let admin: string;
const keys = { check: "", ingest: "", viaApi: "", viaSql: "" };
let viaApiId = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await seedFixture(env().DATABASE_URL);
  await pool.query("INSERT INTO agents (key, name, updated_at) VALUES ('coder', 'Coder', now())");
  await pool.query("INSERT INTO budget_limits (scope, agent_id, period, hard, fail_mode, updated_at) SELECT 'agent', id, 'day', 10, 'closed', now() FROM agents WHERE key = 'coder'");
  keys.check = (await createApiKey({ name: "check", scopes: ["check"], source: "chk", rateLimitPerMinute: 100_000 })).secret;
  keys.ingest = (await createApiKey({ name: "ingest", scopes: ["ingest"], source: "ing", rateLimitPerMinute: 100_000 })).secret;
  const viaApi = await createApiKey({ name: "via-api", scopes: ["check"], source: "api", rateLimitPerMinute: 100_000 });
  [keys.viaApi, viaApiId] = [viaApi.secret, viaApi.key.id];
  keys.viaSql = (await createApiKey({ name: "via-sql", scopes: ["check"], source: "sql", rateLimitPerMinute: 100_000 })).secret;
  app = await startAppServer({ databaseUrl: env().DATABASE_URL });
  admin = (await login(app.baseUrl, emails.admin))!;
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

const check = async (key: string) => {
  const res = await fetch(`${app.baseUrl}/api/v1/budget-checks`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ agent: "coder" }) });
  return { status: res.status, body: (await res.json()) as { allowed?: boolean; level?: string; limit?: { spent: string } } };
};
let n = 0;
const ingest = async (amount: string) => {
  const res = await fetch(`${app.baseUrl}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${keys.ingest}` },
    body: JSON.stringify({ events: [{ id: `p-${++n}`, timestamp: new Date().toISOString(), agent: "coder", type: "llm.call", cost: { amount, currency: "USD" } }] }),
  });
  expect(res.status).toBe(200);
};

it("runs as two processes: the check process owns the port, a Next process (its child) serves the rest", async () => {
  const children = fs.readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === app.pid;
    } catch {
      return false;
    }
  });
  expect(children).toHaveLength(1);
  expect(fs.readFileSync(`/proc/${children[0]}/cmdline`, "utf8")).toContain("--next-socket");
  // Pages and other routes come from Next (its Vary header), the check from the check process (none).
  expect((await fetch(`${app.baseUrl}/api/v1/budget-limits`, { headers: { cookie: admin } })).headers.get("vary")).not.toBeNull();
  const res = await fetch(`${app.baseUrl}/api/v1/budget-checks`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${keys.check}` }, body: "{}" });
  expect(res.status).toBe(400);
  expect(res.headers.get("vary")).toBeNull();
});

it("sees an event's spend as soon as its ingestion is acknowledged, up to the denial", async () => {
  expect((await check(keys.check)).body).toMatchObject({ allowed: true, level: "ok", limit: { spent: "0.00" } });
  let total = 0;
  for (const amount of ["2.50", "3.25", "4.25"]) {
    await ingest(amount);
    total += Number(amount);
    // Relayed by the Next process to the check process before it acknowledged the batch: the next check counts it.
    const answer = await check(keys.check);
    expect(answer.body).toMatchObject({ allowed: total < 10, level: total < 10 ? "ok" : "hard", limit: { spent: total.toFixed(2) } });
  }
  const { rows } = await pool.query<{ sum: string }>("SELECT sum(cost)::text AS sum FROM usage_events WHERE agent_id = (SELECT id FROM agents WHERE key = 'coder')");
  expect(Number(rows[0]!.sum).toFixed(2)).toBe(total.toFixed(2));
});

it("a key revoked through the API (Next process) is refused by the next check; one revoked in SQL within a second", async () => {
  expect((await check(keys.viaApi)).status).toBe(200);
  expect((await check(keys.viaApi)).status).toBe(200); // cached in the check process now
  const revoke = await fetch(`${app.baseUrl}/api/v1/api-keys/${viaApiId}`, { method: "DELETE", headers: { cookie: admin, origin: app.baseUrl } });
  expect(revoke.status).toBe(200);
  expect((await check(keys.viaApi)).status).toBe(401);

  expect((await check(keys.viaSql)).status).toBe(200);
  await pool.query("UPDATE api_keys SET revoked_at = now() WHERE name = 'via-sql'");
  const t0 = Date.now();
  while ((await check(keys.viaSql)).status === 200 && Date.now() - t0 < 1_000) await sleep(10);
  expect((await check(keys.viaSql)).status).toBe(401);
});
