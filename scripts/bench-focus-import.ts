// npm run bench:focus-import [-- --rows 1000000] [--format csv|parquet]
// Times a FOCUS import on the database in DATABASE_URL (a migrated scratch database; an organization row is created
// when missing): generates a gzip FOCUS 1.3 CSV of N hourly rows (Amazon Bedrock, Azure AI Services, Vertex AI and
// 5 % non-AI compute, tags for agent and cost center), stores it as an upload, then runs the import job in this
// process. Prints upload and import time, rows/s, events written and peak RSS. Writes events: use a scratch database.
// --format parquet writes the same rows as a typed, snappy-compressed Parquet file (row groups of 100,000 rows)
// instead; the file is built in memory first (hyparquet-writer), so keep --rows to a few hundred thousand.
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import pg from "pg";

const { values: args } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, format: { type: "string", default: "csv" } } });
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must name a migrated scratch database");
process.env.NEXTAUTH_SECRET ??= "bench-focus-import-secret-0123456789abcdef";
process.env.LOG_LEVEL ??= "warn";
process.env.IMPORT_MAX_SECONDS ??= "7200";

async function* rowBatches(total: number) {
  const { azureOpenAi, bedrock, compute, vertex } = await import("../lib/focus-import/test-files");
  const makers = [bedrock, azureOpenAi, vertex];
  const start = Date.UTC(2026, 9, 1);
  for (let i = 0; i < total; i += 1000) {
    const rows = [];
    for (let j = i; j < Math.min(total, i + 1000); j++) {
      const hour = j % (24 * 30);
      const at = new Date(start + hour * 3_600_000).toISOString().replace(".000", "");
      const to = new Date(start + (hour + 1) * 3_600_000).toISOString().replace(".000", "");
      const cost = ((j % 997) / 100).toFixed(2);
      const over = {
        ChargePeriodStart: at, ChargePeriodEnd: to, BilledCost: cost, EffectiveCost: cost, ConsumedQuantity: String(j % 5000),
        ResourceId: `resource-${j % 5000}`, Tags: JSON.stringify({ agent: `agent-${j % 40}`, "cost-center": `CC${j % 8}` }),
      };
      rows.push(j % 20 === 19 ? compute(over) : makers[j % 3]!(over));
    }
    yield rows;
  }
}

async function* csvLines(total: number): AsyncGenerator<string> {
  const { AI_FILE_COLUMNS, aiFocusCsv } = await import("../lib/focus-import/test-files");
  yield `${AI_FILE_COLUMNS.join(",")}\r\n`;
  for await (const rows of rowBatches(total)) yield aiFocusCsv(rows).split("\r\n").slice(1).join("\r\n");
}

async function parquetFile(total: number): Promise<Readable> {
  const { AI_FILE_COLUMNS } = await import("../lib/focus-import/test-files");
  const { focusParquet } = await import("../lib/focus-import/test-parquet");
  const all = [];
  for await (const rows of rowBatches(total)) all.push(...rows);
  return Readable.from([Buffer.from(focusParquet(AI_FILE_COLUMNS, all, { typed: true }))]);
}

async function main() {
  const total = Number(args.rows);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Bench', 'USD', 'UTC', now()) ON CONFLICT (id) DO NOTHING");
  await client.end();
  const { queueFocusImport, processFocusImport } = await import("../lib/focus-import/run");
  const { focusSettings } = await import("../lib/focus-import/settings-schema");
  const { db, runInBackground } = await import("../lib/db");
  const { stopWorker } = await import("../lib/jobs/queue");
  const parquet = args.format === "parquet";
  const body = parquet ? await parquetFile(total) : Readable.from(csvLines(total)).pipe(createGzip({ level: 1 }));
  const admin = { kind: "user" as const, id: 0, email: "bench", name: "bench", role: "admin" as const, departmentIds: null };
  await runInBackground(async () => {
    let started = performance.now();
    const queued = await queueFocusImport({ body: Readable.toWeb(body) as ReadableStream<Uint8Array>, fileName: parquet ? "bench.parquet" : "bench.csv.gz", caller: admin, settings: focusSettings({}) });
    const uploadSeconds = (performance.now() - started) / 1000;
    console.log(`upload: ${total.toLocaleString("en-US")} rows, ${(Number(queued.bytesTotal) / 1e6).toFixed(1)} MB ${parquet ? "Parquet" : "gzip"}, stored in ${uploadSeconds.toFixed(1)} s (generation included)`);
    started = performance.now();
    await processFocusImport(queued.id);
    const seconds = (performance.now() - started) / 1000;
    const job = await db.importJob.findUniqueOrThrow({ where: { id: queued.id } });
    console.log(`import: ${job.status}${job.error ? ` (${job.error})` : ""}, ${job.rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s = ${Math.round(job.rows / seconds).toLocaleString("en-US")} rows/s; ${job.accepted.toLocaleString("en-US")} events written, ${job.skipped.toLocaleString("en-US")} skipped by the AI filter, ${job.rejected} rejected`);
  });
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await stopWorker(1_000);
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
