// npm run bench:billing [-- --customers 1000 --period YYYY-MM --prepare]
// Times draft generation for every customer of one month on the database in DATABASE_URL (a scratch database
// seeded with `tsx prisma/seed.ts --events 10000000`). --prepare first adds bench customers (bench-0001…) on the
// demo plans and spreads the customer-facing events evenly over all customers (one-off, minutes at 10M events).
// Prints event count, the meter rollup fold of every marked day (lib/billing/meter-rollup.ts), wall time of the first
// run (creates drafts), of a second run (regenerates them), of a third with one day of the month marked (read raw, as
// after ingestion), one customer re-rated (what the commitment alert ladder does per customer) and peak RSS.
import { parseArgs } from "node:util";
import pg from "pg";

const { values: args } = parseArgs({
  options: { customers: { type: "string", default: "1000" }, period: { type: "string" }, prepare: { type: "boolean", default: false } },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must name a seeded scratch database");
process.env.NEXTAUTH_SECRET ??= "bench-billing-secret-0123456789abcdefghij";
process.env.LOG_LEVEL ??= "warn";

async function prepare(client: pg.Client, customers: number) {
  const have = Number((await client.query("SELECT count(*) FROM customers")).rows[0].count);
  if (have < customers) {
    console.log(`adding ${customers - have} bench customers on the demo plans…`);
    await client.query(
      `WITH plans AS (SELECT array_agg(id ORDER BY id) AS ids FROM price_plans),
            added AS (INSERT INTO customers (key, name, updated_at)
                      SELECT format('bench-%s', lpad(n::text, 4, '0')), format('Bench Customer %s', n), now()
                      FROM generate_series(1, $1::int) n RETURNING id)
       INSERT INTO customer_plans (customer_id, plan_id, effective_from)
       SELECT a.id, p.ids[1 + a.id % array_length(p.ids, 1)], '2000-01-01' FROM added a, plans p`,
      [customers - have],
    );
  }
  console.log("spreading customer events over all customers…");
  const started = Date.now();
  await client.query(
    `WITH c AS (SELECT array_agg(id ORDER BY id) AS ids FROM customers)
     UPDATE usage_events e SET customer_id = c.ids[1 + e.id % array_length(c.ids, 1)] FROM c WHERE e.customer_id IS NOT NULL`,
  );
  await client.query("VACUUM ANALYZE usage_events");
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  if (args.prepare) await prepare(client, Number(args.customers));
  // Default: the month with the most events.
  const period =
    args.period ??
    ((
      await client.query(
        `SELECT to_char(timestamp AT TIME ZONE (SELECT time_zone FROM organizations WHERE id = 1), 'YYYY-MM') AS period
         FROM usage_events GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      )
    ).rows[0]?.period as string);
  const { rows } = await client.query("SELECT count(*)::bigint AS events, count(DISTINCT customer_id) AS customers FROM usage_events");
  await client.end();

  const { generateDrafts } = await import("../lib/billing/generate");
  const { foldMeterRollup } = await import("../lib/billing/meter-rollup");
  const { rateCustomers } = await import("../lib/billing/rate-customers");
  const { billingPeriod } = await import("../lib/billing/period");
  const { orgSettings } = await import("../lib/org");
  const { db } = await import("../lib/db");
  console.log(`${Number(rows[0].events).toLocaleString("en-US")} events, ${rows[0].customers} customers with events; period ${period}`);
  let started = performance.now();
  let days = 0;
  for (;;) {
    const fold = await foldMeterRollup();
    days += fold.days;
    if (!fold.more || fold.days === 0) break;
  }
  console.log(`meter rollup fold: ${days} marked days in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  const draftRun = async (label: string) => {
    const t = performance.now();
    const result = await generateDrafts(period, null);
    console.log(`${label}: ${result.invoices.length} invoices in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  };
  await draftRun("first run (creates drafts)");
  await draftRun("second run (regenerates)");
  // One day of the month marked, as ingestion leaves the current day until the next fold: that day is read raw.
  await db.$executeRaw`INSERT INTO meter_rollup_marks (day) VALUES (${`${period}-15`}::date)`;
  await draftRun("third run, one day marked (read raw)");
  await db.$executeRaw`DELETE FROM meter_rollup_marks WHERE day = ${`${period}-15`}::date`;
  const customer = await db.customer.findFirstOrThrow({ where: { key: "bench-0500" }, select: { id: true } });
  const range = billingPeriod(period, (await orgSettings()).timeZone);
  started = performance.now();
  for (let i = 0; i < 10; i++) await rateCustomers(range, [customer.id]);
  console.log(`one customer re-rated (commitment alerts): ${((performance.now() - started) / 10).toFixed(1)} ms each (mean of 10)`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
