// Fail mode with PostgreSQL stopped: our own embedded cluster (a temp folder, a free port; never the shared server),
// as the db-restart reliability test does. While the database is down the check answers from its cache until the
// cache is 60 s old (a clock the test moves on), then each limit fails open or closed as configured; once the
// database is back the cache reloads and answers from current data again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmbeddedPg, ensureDatabase, type EmbeddedPg } from "@/scripts/lib/embedded-pg";
import { freePort } from "@/tests/helpers/app-server";
import { createTestDatabase, ensureTemplate } from "@/tests/helpers/db";
import { BudgetCache } from "./cache";
import { checkBudget } from "./check";

let tmp: string;
let port: number;
let cluster: EmbeddedPg;
let clusterName: string;
let url: string;
let pool: pg.Pool;
let cache: BudgetCache;
let skew = 0;
const startCluster = () => startEmbeddedPg({ dataDir: path.join(tmp, clusterName), port, strictPort: true, log: () => {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agentledger-budget-"));
  fs.chmodSync(tmp, 0o755); // as root, user postgres must reach the data folder
  port = await freePort();
  clusterName = `pg-budget-${process.pid}-${Date.now()}`;
  cluster = await startCluster();
  const base = cluster.url("budget_failmode_test");
  await ensureDatabase(base);
  url = await createTestDatabase(await ensureTemplate(base), "failmode");
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Fail Org', 'USD', 'UTC', now())");
  await c.query("INSERT INTO agents (id, key, name, updated_at) VALUES (1, 'open-bot', 'Open', now()), (2, 'closed-bot', 'Closed', now())");
  await c.query(`INSERT INTO budget_limits (scope, agent_id, period, soft, hard, fail_mode, updated_at) VALUES
    ('agent', 1, 'month', 5, 100, 'open', now()), ('agent', 2, 'month', NULL, 100, 'closed', now())`);
  await c.query(`INSERT INTO budget_spend_daily (day, source, agent_id, department_id, cost) VALUES
    ((now() AT TIME ZONE 'UTC')::date, 's', 1, 0, 7), ((now() AT TIME ZONE 'UTC')::date, 's', 2, 0, 3)`);
  await c.end();
  pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2_000 });
  pool.on("error", () => {});
  cache = new BudgetCache({ pool, connectionString: url, now: () => Date.now() + skew });
  await cache.start();
}, 120_000);

afterAll(async () => {
  await cache?.stop();
  await pool?.end().catch(() => {});
  if (cluster) await cluster.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

it("answers from the cache while it is ≤ 60 s old, then fails open or closed per limit, and recovers", async () => {
  const check = (agent: string) => checkBudget(cache, { agent }, null);
  expect(check("open-bot")).toMatchObject({ allowed: true, level: "soft", answeredFrom: "cache", limit: { spent: "7.00" } });
  expect(check("closed-bot")).toMatchObject({ allowed: true, level: "ok", answeredFrom: "cache", limit: { spent: "3.00" } });

  await cluster.stop();
  await sleep(2_500); // the heartbeat notices: the cache's age now grows
  const down = check("open-bot");
  expect(down).toMatchObject({ allowed: true, level: "soft", answeredFrom: "cache", limit: { spent: "7.00" } });
  expect(down.cacheAgeMs).toBeGreaterThan(1_000);
  expect(check("closed-bot")).toMatchObject({ allowed: true, answeredFrom: "cache" });

  skew = 61_000; // the same outage, a minute later
  expect(check("open-bot")).toMatchObject({ allowed: true, level: "ok", answeredFrom: "failOpen", remaining: null, limit: { failMode: "open", spent: null } });
  expect(check("closed-bot")).toMatchObject({ allowed: false, level: "hard", answeredFrom: "failClosed", limit: { target: "closed-bot", failMode: "closed" } });
  // A call no limit applies to is allowed whatever the data's age.
  expect(check("unknown-bot")).toMatchObject({ allowed: true, limit: null, answeredFrom: "failOpen" });

  cluster = await startCluster();
  const deadline = Date.now() + 20_000;
  while (check("closed-bot").answeredFrom !== "cache" && Date.now() < deadline) await sleep(200);
  expect(check("closed-bot")).toMatchObject({ allowed: true, answeredFrom: "cache", limit: { spent: "3.00" } });
  expect(check("open-bot")).toMatchObject({ level: "soft", answeredFrom: "cache" });
}, 120_000);
