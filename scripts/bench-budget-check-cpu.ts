// npm run bench:budget-check:cpu [-- --checks 20000]
// Node CPU per budget check in-process, without HTTP, by stage: the key lookup (cached), zod, the rate limiter, the
// evaluation, the route's steps on the fast path (fastRoute, as scripts/serve.mjs runs them) and through Next's
// web Request/Response (withRoute). Needs DATABASE_URL (a scratch database <its name>_budget_cpu_test is created
// next to it, migrated and dropped). The figure over HTTP is bench:budget-check's.
import { parseArgs } from "node:util";
import pg from "pg";
import { databaseName, withDatabase } from "./lib/common";
import { migrateDeploy } from "./lib/database";
import { AGENTS, prepare } from "./lib/budget-bench";

const { values: args } = parseArgs({ options: { checks: { type: "string", default: "20000" } } });
const CHECKS = Number(args.checks);

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is required");
  const DB_NAME = `${databaseName(base)}_budget_cpu_test`; // next to DATABASE_URL's database, so parallel runs do not share it
  const url = withDatabase(base, DB_NAME);
  const admin = new pg.Client({ connectionString: withDatabase(base, "postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  try {
    await migrateDeploy(url);
    const keys = await prepare(url);
    process.env.DATABASE_URL = url;
    process.env.NEXTAUTH_SECRET ??= "0123456789abcdef0123456789abcdef";
    process.env.LOG_LEVEL = "warn";
    const { NextRequest } = await import("next/server");
    const { POST } = await import("@/app/api/v1/budget-checks/route");
    const { budgetCheckCaller, runBudgetCheck, budgetCache } = await import("@/lib/budgets/service");
    const { budgetCheckRequest } = await import("@/lib/budgets/schemas");
    const { enforceCheckRateLimit } = await import("@/lib/api/rate-limit");
    const { fastRoute } = await import("@/lib/api/route");
    const bodies = AGENTS.flatMap((a, i) => [JSON.stringify({ agent: a }), JSON.stringify({ agent: a, estimatedCost: { amount: `0.${String(i + 1).padStart(2, "0")}`, currency: "USD" } })]);
    const parsed = bodies.map((b) => budgetCheckRequest.parse(JSON.parse(b)));
    const auth = `Bearer ${keys.check}`;
    const caller = (await budgetCheckCaller(auth))!;
    await budgetCache().start();
    const plainHeaders: Record<string, string> = { "content-type": "application/json", authorization: auth };
    const fast = fastRoute({ auth: "apiKey", permission: "check", apiKeyLookup: budgetCheckCaller, body: budgetCheckRequest, handler: async ({ caller, body }) => {
      await enforceCheckRateLimit(caller as never);
      return runBudgetCheck(body, caller as never);
    } });
    const request = (i: number) =>
      new NextRequest("http://127.0.0.1:3000/api/v1/budget-checks", { method: "POST", headers: { "content-type": "application/json", authorization: auth }, body: bodies[i % bodies.length] });

    const only = process.env.BENCH_STAGE;
    const stages: [string, (i: number) => unknown][] = ([
      ["key lookup (cached)", () => budgetCheckCaller(auth)],
      ["JSON.parse + zod", (i) => budgetCheckRequest.parse(JSON.parse(bodies[i % bodies.length]!))],
      ["rate limiter (memory)", () => enforceCheckRateLimit(caller)],
      ["evaluation + JSON", (i) => runBudgetCheck(parsed[i % parsed.length]!, caller).then((r) => JSON.stringify(r))],
      ["NextRequest + Response (no handler)", (i) => request(i).text().then(() => Response.json({ ok: true }).text())],
      ["fast route (fastRoute: headers + body bytes → JSON)", (i) => fast({ method: "POST", path: "/api/v1/budget-checks", header: (n) => plainHeaders[n], readBody: async () => Buffer.from(bodies[i % bodies.length]!) })],
      ["route handler (withRoute, NextRequest → Response)", (i) => POST(request(i), { params: Promise.resolve({}) }).then((r) => r.text())],
    ] as [string, (i: number) => unknown][]).filter(([name]) => !only || name.startsWith(only));
    console.log(`CPU per check, in-process, ${CHECKS} checks per stage (36 limits; user+system CPU of this process):`);
    for (const [name, run] of stages) {
      for (let i = 0; i < 500; i++) await run(i); // warm-up
      const before = process.cpuUsage();
      for (let i = 0; i < CHECKS; i++) await run(i);
      const used = process.cpuUsage(before);
      console.log(`  ${name.padEnd(52)} ${((used.user + used.system) / CHECKS).toFixed(1)} µs`);
    }
    console.log(`load average: ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")} (2 cores)`);
    await budgetCache().stop?.();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
