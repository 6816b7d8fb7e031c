// npm run bench:query — dashboard query latency at scale: seeds BENCH_EVENTS (default 10,000,000) demo events into a
// scratch database (reused while the event count, seed code and end date are unchanged; pending migrations are applied), starts the built app on it and
// times each dashboard endpoint and the Usage page's server render over a realistic mix of filters.
// Prints p50/p95 per endpoint (all ranges, and 90-day ranges only). Requests run one at a time (a shared machine).
// BENCH_CURRENCIES=1: daily EUR rates for USD/JPY/GBP are seeded (scripts/lib/bench-fx.ts), a fifth of the costed
// events are marked as sent in EUR, JPY or GBP (original amount and rate; their USD cost and the rollups unchanged),
// and a third of the Usage, Overview and agent requests ask for a display currency (EUR, JPY or GBP).
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startAppServer } from "../tests/helpers/app-server";
import { demoUser } from "../prisma/demo-users";
import { BENCH_CURRENCIES, seedBenchRates } from "./lib/bench-fx";
import { baseEnv, buildIfChanged, databaseName, dataDir, generateIfChanged, hashPaths, runOrThrow, withDatabase } from "./lib/common";

const url = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/agentledger_bench";
const events = Number((process.env.BENCH_EVENTS ?? "10000000").replaceAll("_", ""));
const perEndpoint = Number(process.env.BENCH_REQUESTS ?? 60);
// BENCH_ONLY=events,usage times only those endpoints; the others' requests are still drawn, so the mix is the same.
const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
const end = new Date().toISOString().slice(0, 10);
const currencies = process.env.BENCH_CURRENCIES === "1";

if (!/bench|test/i.test(databaseName(url))) throw new Error(`refusing to use database "${databaseName(url)}": its name must contain "bench" or "test"`);

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Seeds unless the database already holds this many events from the same seed code and end date. A reused database
 * gets pending migrations applied, as a production database does (migrations backfill what they add), so a 30M-event
 * seed survives schema changes.
 */
async function prepareDatabase() {
  const stampText = `bench:${events}:${end}:${hashPaths(["prisma/seed.ts", "prisma/demo"])}`;
  const current = await admin(async (c) => {
    const r = await c.query("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [databaseName(url)]);
    return r.rows[0]?.comment as string | undefined;
  });
  if (current === stampText) {
    await runOrThrow("prisma", ["migrate", "deploy"], { env: baseEnv({ DATABASE_URL: url }), stdio: ["ignore", "ignore", "inherit"] });
    return console.log(`bench: reusing ${databaseName(url)} (${events.toLocaleString("en-US")} events, pending migrations applied)`);
  }
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(databaseName(url))} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(databaseName(url))}`);
  });
  await runOrThrow("prisma", ["migrate", "deploy"], { env: baseEnv({ DATABASE_URL: url }), stdio: ["ignore", "ignore", "inherit"] });
  const started = performance.now();
  await runOrThrow("tsx", ["prisma/seed.ts", "--events", String(events), "--end", end], { env: baseEnv({ DATABASE_URL: url }) });
  console.log(`bench: seeded ${events.toLocaleString("en-US")} events in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await admin((c) => c.query(`COMMENT ON DATABASE ${c.escapeIdentifier(databaseName(url))} IS ${c.escapeLiteral(stampText)}`));
}

/** BENCH_CURRENCIES=1: rates for the seeded days, and a fifth of the costed events sent in EUR/JPY/GBP (idempotent). */
async function prepareCurrencies() {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ first: string; last: string }>("SELECT to_char(min(timestamp) - interval '8 days', 'YYYY-MM-DD') AS first, to_char(max(timestamp) + interval '1 day', 'YYYY-MM-DD') AS last FROM usage_events");
    const added = await seedBenchRates(c, rows[0]!.first, rows[0]!.last);
    // 1 original = fx_rate USD, from the day's EUR legs (or the latest before it): cost stays, original_cost = cost ÷ rate.
    const marked = await c.query(
      `WITH legs AS (
         SELECT e.id, q.code,
                (SELECT r.rate FROM fx_rates r WHERE r.base = 'EUR' AND r.quote = 'USD' AND r.date <= e.timestamp::date ORDER BY r.date DESC LIMIT 1) AS usd,
                CASE q.code WHEN 'EUR' THEN 1 ELSE (SELECT r.rate FROM fx_rates r WHERE r.base = 'EUR' AND r.quote = q.code AND r.date <= e.timestamp::date ORDER BY r.date DESC LIMIT 1) END AS other,
                (SELECT max(r.date) FROM fx_rates r WHERE r.base = 'EUR' AND r.date <= e.timestamp::date) AS rate_date
         FROM usage_events e CROSS JOIN LATERAL (SELECT ($1::text[])[1 + (e.id % 3)::int] AS code) q
         WHERE e.id % 5 = 0 AND e.cost > 0 AND e.original_currency IS NULL)
       UPDATE usage_events e SET original_currency = l.code, fx_rate = l.usd / l.other, fx_rate_date = l.rate_date, original_cost = round(e.cost * l.other / l.usd, 10)
       FROM legs l WHERE e.id = l.id AND l.usd IS NOT NULL AND l.other IS NOT NULL`,
      [[...BENCH_CURRENCIES]],
    );
    console.log(`bench: ${added} FX rates added, ${marked.rowCount} events marked as sent in ${BENCH_CURRENCIES.join("/")}`);
  } finally {
    await c.end();
  }
}

async function readKey(): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const secret = "al_bench_" + randomBytes(20).toString("hex");
    await c.query("DELETE FROM api_keys WHERE name = 'bench:query'");
    await c.query(
      "INSERT INTO api_keys (name, prefix, hash, source, scopes) VALUES ('bench:query', $1, $2, 'bench', ARRAY['read'])",
      [secret.slice(0, 10), createHash("sha256").update(secret).digest("hex")],
    );
    return secret;
  } finally {
    await c.end();
  }
}

/** Signs in through next-auth's credentials flow and returns the Cookie header of the session. */
async function sessionCookie(base: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      jar.set(k!, v!);
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const user = demoUser("admin");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(), origin: base },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`login failed (${res.status})`);
  return header();
}

/** Deterministic PRNG so every run requests the same mix. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Options = { departments: string[]; agents: string[]; customers: string[]; models: string[]; types: string[]; taskTypes: string[] };

async function options(): Promise<Options> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => r.v as string);
    return {
      departments: await q("SELECT code AS v FROM departments"),
      agents: await q("SELECT key AS v FROM agents"),
      customers: await q("SELECT key AS v FROM customers"),
      models: await q("SELECT DISTINCT model AS v FROM agents WHERE model IS NOT NULL"),
      types: ["llm.call", "agent.action", "task.completed", "agent.conversation"],
      taskTypes: await q("SELECT key AS v FROM task_types"),
    };
  } finally {
    await c.end();
  }
}

const day = (offset: number) => new Date(Date.parse(`${end}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** A realistic request: a 7/30/90-day window ending recently, sometimes a filter or two, a grouping. */
function mix(o: Options, random: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return (endpoint: string) => {
    const days = pick([7, 30, 90, 90]);
    const to = day(-1 - Math.floor(random() * 3));
    const p: Record<string, string> = { from: new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10), to };
    const r = random();
    if (r < 0.25) p.department = pick(o.departments);
    else if (r < 0.4) p.agent = pick(o.agents);
    else if (r < 0.5) p.customer = pick(o.customers);
    else if (r < 0.6) p.model = pick(o.models);
    else if (r < 0.7) p.type = pick(o.types);
    if (endpoint === "usage" || endpoint === "usage page") {
      p.groupBy = pick(["none", "department", "agent", "model", "customer", "type"]);
      p.granularity = days <= 7 && random() < 0.3 ? "hour" : pick(["day", "day", "week", "month"]);
    }
    // Drawn only with BENCH_CURRENCIES=1, so the default mix is unchanged.
    if (currencies && ["usage", "usage page", "overview", "agent detail"].includes(endpoint) && random() < 1 / 3) p.currency = pick(BENCH_CURRENCIES);
    if (endpoint === "workload" || endpoint === "workload by task type") p.groupBy = pick(["task_type", "department", "agent"]);
    // Drill-down from Workload: one task type, compared by agent or department.
    if (endpoint === "workload by task type") p.taskType = pick(o.taskTypes);
    // The events explorer behind a total: sometimes only the tasks one side handled.
    if (endpoint === "events" && random() < 0.2) p.handledBy = pick(["agent", "human"]);
    if (endpoint === "roi") p.groupBy = pick(["agent", "department", "task_type"]);
    return { days, params: p, agent: pick(o.agents) };
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

async function main() {
  await prepareDatabase();
  if (currencies) await prepareCurrencies();
  await generateIfChanged();
  const env = baseEnv({ DATABASE_URL: url, NEXTAUTH_SECRET: randomBytes(32).toString("hex"), NODE_ENV: "production" });
  if ((await buildIfChanged(env)) !== 0) throw new Error("next build failed");
  // Timed requests come from one API key far faster than the per-key read limit allows a person.
  const app = await startAppServer({ databaseUrl: url, env: { READ_RATE_LIMIT_PER_MINUTE: "1000000" } });
  try {
    const auth = { authorization: `Bearer ${await readKey()}` };
    const cookie = await sessionCookie(app.baseUrl);
    const next = mix(await options(), rng(7));
    const endpoints: [string, (r: ReturnType<typeof next>) => [string, Record<string, string>]][] = [
      ["usage", (r) => [`/api/v1/usage?${new URLSearchParams(r.params)}`, auth]],
      ["workload", (r) => [`/api/v1/workload?${new URLSearchParams(r.params)}`, auth]],
      ["workload by task type", (r) => [`/api/v1/workload?${new URLSearchParams(r.params)}`, auth]],
      ["events", (r) => [`/api/v1/events?${new URLSearchParams({ ...r.params, limit: "50" })}`, auth]],
      ["roi", (r) => [`/api/v1/roi?${new URLSearchParams(r.params)}`, auth]],
      ["agent detail", (r) => [`/api/v1/agents/${encodeURIComponent(r.agent)}?${new URLSearchParams({ from: r.params.from!, to: r.params.to!, ...(r.params.currency && { currency: r.params.currency }) })}`, auth]],
      ["agent events", (r) => [`/api/v1/agents/${encodeURIComponent(r.agent)}/events?${new URLSearchParams({ from: r.params.from!, to: r.params.to!, limit: "50" })}`, auth]],
      ["overview", (r) => [`/api/v1/overview?${new URLSearchParams({ from: r.params.from!, to: r.params.to!, ...(r.params.currency && { currency: r.params.currency }) })}`, auth]],
      ["usage page", (r) => [`/usage?${new URLSearchParams(r.params)}`, { cookie }]],
    ];
    const results: { endpoint: string; n: number; p50: number; p95: number; n90: number; p50_90: number; p95_90: number; max: number; slowest: string[] }[] = [];
    for (const [name, build] of endpoints) {
      const all: number[] = [];
      const ninety: number[] = [];
      const timed: { ms: number; pathname: string }[] = [];
      for (let i = 0; i < perEndpoint + 5; i++) {
        const r = next(name);
        if (only && !only.includes(name)) continue;
        const [pathname, headers] = build(r);
        const t0 = performance.now();
        const res = await fetch(app.baseUrl + pathname, { headers });
        await res.arrayBuffer();
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`${name}: ${pathname} answered ${res.status}`);
        if (i < 5) continue; // warm-up: first compile of the route, cold caches
        all.push(ms);
        timed.push({ ms, pathname });
        if (r.days === 90) ninety.push(ms);
      }
      if (!all.length) continue;
      all.sort((a, b) => a - b);
      ninety.sort((a, b) => a - b);
      results.push({
        endpoint: name,
        n: all.length,
        p50: percentile(all, 50),
        p95: percentile(all, 95),
        n90: ninety.length,
        p50_90: percentile(ninety, 50),
        p95_90: percentile(ninety, 95),
        max: all[all.length - 1]!,
        slowest: timed.sort((a, b) => b.ms - a.ms).slice(0, 3).map((t) => `${t.ms.toFixed(0)} ms ${t.pathname}`),
      });
    }
    const f = (ms: number) => (Number.isNaN(ms) ? "–" : `${ms.toFixed(0)} ms`);
    const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    console.log(`\n${events.toLocaleString("en-US")} events${currencies ? " (a fifth of the costed ones sent in EUR/JPY/GBP; a third of usage/overview/agent requests in a display currency)" : ""}, requests one at a time over HTTP (next start), load average ${load}\n`);
    console.log("| Endpoint | n | p50 | p95 | 90-day n | 90-day p50 | 90-day p95 | max |");
    console.log("|---|---|---|---|---|---|---|---|");
    for (const r of results) console.log(`| ${r.endpoint} | ${r.n} | ${f(r.p50)} | ${f(r.p95)} | ${r.n90} | ${f(r.p50_90)} | ${f(r.p95_90)} | ${f(r.max)} |`);
    console.log("\nSlowest requests:");
    for (const r of results) for (const line of r.slowest) console.log(`  ${r.endpoint}: ${line}`);
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, "bench-query.json"), JSON.stringify({ events, at: new Date().toISOString(), results }, null, 2));
  } finally {
    await app.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
