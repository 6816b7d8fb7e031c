// npm run bench:recompute [-- --period YYYY-MM --batch 1000]
// Times the recompute engine on the database in DATABASE_URL (a scratch database seeded with
// `tsx prisma/seed.ts --events N`): raises every model price's input rate by 0.01 per million tokens (so every
// priced event changes), previews the re-pricing of one month (default: the month with the most events), then
// applies it batch by batch. Prints events scanned/changed, preview and apply time, events/s, and peak RSS.
// It changes that database's prices and computed costs: never point it at a database you care about.
import { parseArgs } from "node:util";
import pg from "pg";

const { values: args } = parseArgs({ options: { period: { type: "string" }, batch: { type: "string", default: "1000" } } });
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must name a seeded scratch database");
process.env.NEXTAUTH_SECRET ??= "bench-recompute-secret-0123456789abcdefghij";
process.env.LOG_LEVEL ??= "warn";

async function main() {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ period: string; tz: string }>(
    `SELECT to_char(timestamp AT TIME ZONE o.time_zone, 'YYYY-MM') AS period, o.time_zone AS tz
     FROM usage_events, organizations o WHERE o.id = 1 GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`,
  );
  const period = args.period ?? rows[0]?.period;
  if (!period) throw new Error("no events in DATABASE_URL");
  await client.query("UPDATE model_prices SET input_per_mtok = input_per_mtok + 0.01");
  await client.end();

  const { billingPeriod } = await import("../lib/billing/period");
  const { createRecomputeRun, previewRun, processRecomputeRun } = await import("../lib/recompute/runs");
  const { db, runInBackground } = await import("../lib/db");
  const { start: from, end: to } = billingPeriod(period, rows[0]!.tz);
  const selection = { kind: "reprice" as const, from, to, predicate: {} };
  await runInBackground(async () => {
    let started = performance.now();
    const preview = await previewRun(selection);
    const previewSeconds = (performance.now() - started) / 1000;
    console.log(`${period}: ${preview.scanned.toLocaleString("en-US")} events scanned, ${preview.changed.toLocaleString("en-US")} change, delta ${preview.delta.total}`);
    console.log(`preview: ${previewSeconds.toFixed(2)} s (${Math.round(preview.scanned / previewSeconds).toLocaleString("en-US")} events/s)`);
    const system = { kind: "user" as const, id: 0, email: "bench", name: "bench", role: "admin" as const, departmentIds: null };
    const { id } = await createRecomputeRun(system, { ...selection, reason: "bench:recompute", batchSize: Number(args.batch) });
    started = performance.now();
    let batches = 1;
    while ((await processRecomputeRun(id)) === "more") batches++;
    const seconds = (performance.now() - started) / 1000;
    console.log(`apply: ${batches} batches of ${args.batch} in ${seconds.toFixed(2)} s (${Math.round(preview.scanned / seconds).toLocaleString("en-US")} events/s scanned, ${Math.round(preview.changed / seconds).toLocaleString("en-US")} changed/s)`);
  });
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
