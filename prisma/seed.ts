// Demo seed: tsx prisma/seed.ts [--events N] [--days D] [--seed S] [--end YYYY-MM-DD] [--if-empty | --reset]
// Builds the "Northwind Holdings" organization and N usage events over the D local days before --end
// (default: today, UTC). Same arguments → same data (except password hashes and the API key secret).
import { parseArgs } from "node:util";
import Decimal from "decimal.js";
import pg from "pg";
import { rebuildRollups } from "../lib/rollups/rebuild";
import { ORGANIZATION } from "./demo/catalog";
import { emptyStats } from "./demo/events";
import { formatUnits } from "../lib/pricing/cost";
import { copyEvents, createDemoApiKey, insertReferenceData, isSeeded, setBudgets, truncateAll } from "./demo/load";
import { demoWindow } from "./demo/time";

const USAGE = `usage: tsx prisma/seed.ts [options]   (reads DATABASE_URL)
  --events N      usage events to generate (default 200000)
  --days D        days of history (default 90)
  --seed S        PRNG seed (default 42)
  --end DATE      YYYY-MM-DD; events cover the D full local days before it (default: today, UTC)
  --if-empty      do nothing when the database is already seeded
  --reset         truncate every table first (otherwise a non-empty database is refused)`;

function positiveInt(value: string, name: string, min = 1): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${value}`);
  return n;
}

function options() {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "200000" },
      days: { type: "string", default: "90" },
      seed: { type: "string", default: "42" },
      end: { type: "string", default: new Date().toISOString().slice(0, 10) },
      "if-empty": { type: "boolean", default: false },
      reset: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values["if-empty"] && values.reset) throw new Error("--if-empty and --reset exclude each other");
  return {
    events: positiveInt(values.events.replaceAll("_", ""), "--events", 0),
    days: positiveInt(values.days, "--days"),
    seed: positiveInt(values.seed, "--seed", 0),
    end: values.end,
    ifEmpty: values["if-empty"],
    reset: values.reset,
  };
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

async function main() {
  const args = options();
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  const window = demoWindow(args.end, args.days, ORGANIZATION.timeZone);
  const pool = new pg.Pool({ connectionString, max: 2 });
  const started = performance.now();
  try {
    const client = await pool.connect();
    try {
      if (await isSeeded(client)) {
        if (args.ifEmpty) {
          console.log("seed: the database already has data (--if-empty): nothing to do");
          return;
        }
        if (!args.reset) throw new Error("the database is not empty; pass --reset to wipe it and seed again");
      }
      console.log(
        `seed: ${args.events.toLocaleString("en-US")} events, ${args.days} days ` +
          `[${new Date(window.startMs).toISOString()} .. ${new Date(window.endMs).toISOString()}), seed ${args.seed}`,
      );
      await client.query("BEGIN");
      if (args.reset) await truncateAll(client);
      const ids = await insertReferenceData(client, window);
      console.log(`seed: organization, users, departments, agents, prices, plans (${seconds(started)} s)`);

      const stats = emptyStats();
      const copyStarted = performance.now();
      const timing = await copyEvents(
        client,
        { ...ids, seed: args.seed, events: args.events, window, timeZone: ORGANIZATION.timeZone },
        stats,
        (n) => {
          const rate = Math.round(n / ((performance.now() - copyStarted) / 1000));
          console.log(`seed: ${n.toLocaleString("en-US")} events copied (${rate.toLocaleString("en-US")}/s)`);
        },
      );
      const copySeconds = (performance.now() - copyStarted) / 1000;
      console.log(
        `seed: events loaded in ${copySeconds.toFixed(1)} s: COPY ${timing.copySeconds.toFixed(1)} s, ` +
          `indexes ${timing.indexSeconds.toFixed(1)} s (${Math.round(stats.events / copySeconds).toLocaleString("en-US")} rows/s overall)`,
      );
      await setBudgets(client, window);
      const secret = await createDemoApiKey(client, ids.userIds.admin);
      await client.query("COMMIT");

      const rollupStarted = performance.now();
      await rebuildRollups(pool);
      // VACUUM sets the rollups' visibility maps, so dashboards get index-only scans from the first request.
      await client.query("ANALYZE usage_events");
      await client.query("VACUUM ANALYZE usage_rollup_hourly_folded, usage_rollup_daily_folded, usage_rollup_daily_core_folded, usage_rollup_hourly_core_folded, usage_rollup_daily_customer_folded");
      console.log(`seed: rollups rebuilt and tables analyzed in ${seconds(rollupStarted)} s`);

      const check = await client.query<{ events: string; cost: string }>(
        "SELECT coalesce(sum(events), 0)::text AS events, coalesce(sum(cost), 0)::text AS cost FROM usage_rollup_daily",
      );
      const expectedCost = formatUnits(stats.costUnits);
      const rollupCost = check.rows[0]!.cost;
      if (BigInt(check.rows[0]!.events) !== BigInt(stats.events) || !new Decimal(rollupCost).equals(expectedCost)) {
        throw new Error(`rollup totals (${check.rows[0]!.events} events, ${rollupCost}) differ from the load (${stats.events}, ${expectedCost})`);
      }
      const byType = Object.entries(stats.byType).map(([t, n]) => `${t} ${n.toLocaleString("en-US")}`).join(", ");
      console.log(`seed: done in ${seconds(started)} s`);
      console.log(`  events:      ${stats.events.toLocaleString("en-US")} (${byType})`);
      console.log(`  reported:    ${stats.reportedCostEvents.toLocaleString("en-US")} events carry a reported cost`);
      console.log(`  total cost:  ${ORGANIZATION.currency} ${expectedCost}`);
      console.log(`  logins:      admin|finance|ops|viewer@demo.agentledger.dev, password demo-<role>-password`);
      console.log(`Demo ingest API key (shown once): ${secret}`);
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
