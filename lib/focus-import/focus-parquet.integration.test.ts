// FOCUS Parquet import against PostgreSQL: a Parquet file (detected by its bytes, whatever its name) goes through the
// same mapping, identity and restatement as CSV — the same rows as CSV are the same events; the FinOps Foundation's
// FOCUS 1.0 sample (CC BY 4.0, tests/fixtures/focus/README.md), converted to Parquet here, imports to the file's
// total; a damaged file fails with a clear reason and writes nothing; a re-import counts nothing twice.
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, expect, test } from "vitest";
import { Decimal } from "@/lib/allocation/decimal";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import { stopWorker } from "@/lib/jobs/queue";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { seedBasics } from "@/tests/helpers/db";
import { processFocusImport, queueFocusImport } from "./run";
import { focusSettings, type FocusSettings } from "./settings-schema";
import { AI_FILE_COLUMNS, aiFocusCsv, azureOpenAi, bedrock, bedrockMarketplace, compute, vertex } from "./test-files";
import { focusParquet } from "./test-parquet";
import { exploreEvents } from "@/lib/analytics/events";
import { filterOptions } from "@/lib/analytics/options";
import { eventsQuery, usageQuery } from "@/lib/analytics/schemas";
import { usage } from "@/lib/analytics/usage";


const SAMPLE = "tests/fixtures/focus/focus-1.0_sample-data_focus_sample.csv";
const admin: UserCaller = { kind: "user", id: 1, email: "a@test", name: "A", role: "admin", departmentIds: null };

async function importFile(bytes: string | Uint8Array<ArrayBuffer>, settings: FocusSettings, fileName: string) {
  const queued = await queueFocusImport({ body: new Blob([bytes]).stream(), fileName, caller: admin, settings });
  await processFocusImport(queued.id);
  return db.importJob.findUniqueOrThrow({ where: { id: queued.id } });
}

/** The FOCUS events, everything that makes an event, in key order. */
async function events(where: string) {
  const { rows } = await pool.query(
    `SELECT e.event_key, e.timestamp, e.type, a.key AS agent, d.code AS department, e.cost::text, e.quantity::text, e.input_tokens::text,
       e.output_tokens::text, e.properties, e.original_cost::text, e.original_currency
     FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN departments d ON d.id = e.department_id
     WHERE e.source = 'focus' AND ${where} ORDER BY e.event_key`,
  );
  return rows;
}

const total = async (where: string) => (await pool.query<{ cost: string | null }>(`SELECT sum(cost)::text AS cost FROM usage_events WHERE source = 'focus' AND ${where}`)).rows[0]!.cost;

beforeAll(async () => {
  await seedBasics(env().DATABASE_URL);
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'a@test', 'A', 'admin', now()) ON CONFLICT DO NOTHING");
  await pool.query("UPDATE organizations SET time_zone = 'America/New_York' WHERE id = 1");
  forgetOrgSettings();
  for (const code of ["RND", "SUPPORT"]) await db.department.create({ data: { code, name: code } });
});

afterAll(() => stopWorker(1_000));

const settings = focusSettings({ filter: {}, department: { sources: ["tag:cost-center", "x_CostCenter"], values: {} } });
const rows = [
  bedrock(),
  bedrockMarketplace(),
  azureOpenAi(),
  vertex({ ChargePeriodStart: "2026-10-09T00:00:00Z", ChargePeriodEnd: "2026-10-12T00:00:00Z", BilledCost: "10.00", EffectiveCost: "10.00" }),
  bedrock({ ChargeCategory: "Credit", ChargeClass: "Correction", ChargeDescription: "AWS promotional credit", BilledCost: "-5.00", EffectiveCost: "-5.00", ConsumedQuantity: null, ConsumedUnit: null }),
  compute(),
];
const accounts = "properties->>'billing_account' IN ('111122223333', '/providers/Microsoft.Billing/billingAccounts/12345678', '01ABCD-234567-89EF01')";

test("a typed Parquet file (any name) and the same rows as CSV are the same events: the CSV after it adds nothing", async () => {
  const parquet = await importFile(focusParquet(AI_FILE_COLUMNS, rows, { typed: true, rowGroupSize: 4 }), settings, "october-export");
  // Events: one per New York day a charge period touches (Azure's UTC day: 2, Vertex's three UTC days: 4).
  expect(parquet).toMatchObject({ status: "succeeded", rows: 6, skipped: 1, rejected: 0, accepted: 1 + 1 + 2 + 4 + 1, reversed: 0, error: null });
  expect(Number(parquet.bytesRead)).toBe(Number(parquet.bytesTotal));
  const stored = await events(accounts);
  // 3.12 + 1.275 + 13.50 + 10.00 − 5.00
  expect(await total(accounts)).toBe("22.8950000000");
  expect(stored.find((e) => e.type === "cloud.credit")).toMatchObject({ cost: "-5.0000000000", agent: "research-bot", department: "RND" });

  const csv = await importFile(aiFocusCsv(rows), settings, "october.csv");
  expect(csv).toMatchObject({ status: "succeeded", rows: 6, skipped: 1, accepted: 0, duplicates: parquet.accepted, reversed: 0 });
  expect(await events(accounts)).toEqual(stored);
  // And the Parquet again: nothing twice.
  const again = await importFile(focusParquet(AI_FILE_COLUMNS, rows, { typed: true }), settings, "october.parquet");
  expect(again).toMatchObject({ status: "succeeded", accepted: 0, duplicates: parquet.accepted, reversed: 0 });
  expect(await total(accounts)).toBe("22.8950000000");
});

test("a damaged Parquet file fails naming the problem and changes nothing", async () => {
  const count = async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM usage_events")).rows[0]!.n;
  const before = await count();
  const file = focusParquet(AI_FILE_COLUMNS, [vertex({ BillingAccountId: "damaged" })]);
  const truncated = await importFile(file.slice(0, file.length - 100), settings, "cut.parquet");
  expect(truncated.status).toBe("failed");
  expect(truncated.error).toMatch(/^stopped after 0 rows: parquet: .*PAR1/);
  const damaged = file.slice();
  damaged.fill(0x7f, 8, 400);
  const bad = await importFile(damaged, settings, "bad.parquet");
  expect(bad.status).toBe("failed");
  expect(bad.error).toMatch(/^stopped after 0 rows: parquet: /);
  expect(await count()).toBe(before);
  expect((await pool.query("SELECT 1 FROM import_upload_chunks")).rowCount).toBe(0);
});

test("the FinOps Foundation FOCUS 1.0 sample as Parquet (several MiB-chunks, row groups) imports to the file's total; the CSV adds nothing", async () => {
  const records = parse(fs.readFileSync(SAMPLE), { columns: true }) as Record<string, string>[];
  const columns = Object.keys(records[0]!);
  const all = focusSettings({ filter: { all: true } });
  // Independent: the file's EffectiveCost, each row at the ledger's 10 decimals (half to even), NULL as 0.
  const expected = records.reduce((s, r) => (r.EffectiveCost === "NULL" ? s : s.plus(new Decimal(r.EffectiveCost!).toDecimalPlaces(10, Decimal.ROUND_HALF_EVEN))), new Decimal(0));
  // Uncompressed and repeated 6 times over different billing accounts, so the file spans several stored chunks
  // (ranges are read across chunk boundaries); only the first copy is compared with the CSV.
  const copies = Array.from({ length: 6 }, (_, i) => records.map((r) => (i === 0 ? r : { ...r, BillingAccountId: `copy-${i}-${r.BillingAccountId}` }))).flat();
  const file = focusParquet(columns, copies, { typed: true, rowGroupSize: 1_500, codec: "UNCOMPRESSED" });
  expect(file.length).toBeGreaterThan(1024 * 1024);
  const job = await importFile(file, all, "focus_sample.parquet");
  expect(job).toMatchObject({ status: "succeeded", rows: 6_000, rejected: 0, skipped: 0, error: null });
  const firstCopy = "properties->>'billing_account' NOT LIKE 'copy-%' AND NOT " + accounts;
  expect(new Decimal((await total(firstCopy))!).eq(expected)).toBe(true);
  expect(new Decimal((await total("TRUE"))!).minus(22.895).eq(expected.times(6))).toBe(true);
  const csv = await importFile(new Uint8Array(fs.readFileSync(SAMPLE)), all, "focus_sample.csv");
  expect(csv).toMatchObject({ status: "succeeded", rows: 1000, accepted: 0, reversed: 0 });
});

test("imported spend on Usage grouped and filtered by provider (a built-in rollup dimension), and in the events' rows", async () => {
  const caller = { ...admin };
  const org = await orgSettings();
  const q = (params: Record<string, string>) => usageQuery.parse({ from: "2026-10-01", to: "2026-10-31", ...params });
  const byProvider = await usage(caller, org, q({ groupBy: "provider", top: "20" }));
  const totals = Object.fromEntries(byProvider.series.map((s) => [s.key, s.totals.cost]));
  // ServiceProviderName of the first test's rows: AWS 3.12 − 5.00, Anthropic 1.275 (Bedrock Marketplace), Microsoft 13.50, Google Cloud 10.00.
  expect(totals).toEqual({ "Microsoft": "13.5", "Google Cloud": "10", "Anthropic": "1.275", "AWS": "-1.88" });
  const aws = await usage(caller, org, q({ provider: "AWS", groupBy: "agent" }));
  expect(aws.totals.cost).toBe("-1.88");
  expect(aws.series.map((s) => s.key)).toEqual(["research-bot"]);
  // The rollups equal the raw events for the filter too.
  const raw = await pool.query("SELECT trim_scale(sum(cost))::text AS cost FROM usage_events WHERE properties->>'provider' = 'AWS' AND timestamp >= '2026-10-01' AND timestamp < '2026-11-01 05:00Z'");
  expect(raw.rows[0].cost).toBe("-1.88");
  const page = await exploreEvents(caller, org, eventsQuery.parse({ from: "2026-10-01", to: "2026-10-31", provider: "Google Cloud" }));
  expect(page.events.map((e) => e.provider)).toEqual(["Google Cloud", "Google Cloud", "Google Cloud", "Google Cloud"]);
  expect((await filterOptions(caller, org)).providers.map((p) => p.key).sort()).toEqual(["(none)", "AWS", "Anthropic", "Google Cloud", "Microsoft"]);
  // A full rebuild keys the rollups the same way as ingestion did.
  await rebuildRollups(pool);
  const rebuilt = await usage(caller, org, q({ groupBy: "provider", top: "20" }));
  expect(Object.fromEntries(rebuilt.series.map((s) => [s.key, s.totals.cost]))).toEqual(totals);
});
