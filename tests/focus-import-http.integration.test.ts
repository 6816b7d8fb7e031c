// FOCUS import over HTTP against the built app: POST /api/v1/imports?format=focus with a gzip file answers 202
// with the queued import, the app's own job worker imports it (progress visible through the error report route
// and the database), a bad file ends failed with its reason, and the JSON API still refuses a negative cost.
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { AI_FILE_COLUMNS, aiFocusCsv, bedrock, compute, vertex } from "@/lib/focus-import/test-files";
import { focusParquet } from "@/lib/focus-import/test-parquet";
import { ImportJobSchema } from "@/lib/formats/import-schemas";
import { startAppServer, type AppServer } from "./helpers/app-server";

let app: AppServer;
let key = "";

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
  key = (await createApiKey({ name: "focus", scopes: ["ingest"], source: "focus-key", mayCreateEntities: true, mayWriteFinalized: true })).secret;
  app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { JOBS_POLL_SECONDS: "0.5" } });
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

async function post(body: Uint8Array | string, fileName: string, contentType = "text/csv") {
  return fetch(`${app.baseUrl}/api/v1/imports?format=focus&fileName=${fileName}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": contentType },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

async function finished(id: number) {
  for (let i = 0; i < 120; i++) {
    const { rows } = await pool.query("SELECT status, rows, accepted, skipped, rejected, error, bytes_read::int, bytes_total::int FROM import_jobs WHERE id = $1", [id]);
    if (rows[0].status === "succeeded" || rows[0].status === "failed") return rows[0];
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`import ${id} did not finish`);
}

test("a gzip FOCUS file is queued (202) and imported by the worker", async () => {
  const csv = aiFocusCsv([bedrock(), vertex(), compute()]);
  const res = await post(gzipSync(csv), "oct.csv.gz");
  expect(res.status).toBe(202);
  const queued = ImportJobSchema.parse(await res.json());
  expect(queued).toMatchObject({ format: "focus", status: "queued", bytesRead: 0 });
  const done = await finished(queued.id);
  expect(done).toMatchObject({ status: "succeeded", rows: 3, accepted: 2, skipped: 1, rejected: 0, error: null });
  expect(done.bytes_read).toBe(done.bytes_total);
  const { rows } = await pool.query("SELECT sum(cost)::text AS cost FROM usage_events WHERE source = 'focus'");
  expect(rows[0].cost).toBe("5.6200000000");
});

test("a Parquet file (recognised by its bytes) is imported by the worker through the same mapping", async () => {
  const res = await post(focusParquet(AI_FILE_COLUMNS, [bedrock({ SkuId: "parquet-http" }), compute()], { typed: true }), "oct.parquet", "application/vnd.apache.parquet");
  expect(res.status).toBe(202);
  const done = await finished(ImportJobSchema.parse(await res.json()).id);
  expect(done).toMatchObject({ status: "succeeded", rows: 2, accepted: 1, skipped: 1, rejected: 0, error: null });
  expect(done.bytes_read).toBe(done.bytes_total);
  const { rows } = await pool.query("SELECT cost::text, properties->>'provider' AS provider FROM usage_events WHERE source = 'focus' AND properties->>'sku_id' = 'parquet-http'");
  expect(rows).toEqual([{ cost: "3.1200000000", provider: "AWS" }]);
});

test("a malformed file ends failed with the parser's reason; a mapping is refused", async () => {
  const res = await post('ChargePeriodStart,ServiceName\n"2026-10-01,Vertex AI\n', "bad.csv");
  expect(res.status).toBe(202);
  const done = await finished((await res.json()).id);
  expect(done.status).toBe("failed");
  expect(done.error).toMatch(/stopped after 0 rows: .*quote/i);
  const mapped = await fetch(`${app.baseUrl}/api/v1/imports?format=focus&mapping=%7B%7D`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" }, body: "x" });
  expect(mapped.status).toBe(400);
});

test("the JSON events API still refuses a negative cost", async () => {
  const res = await fetch(`${app.baseUrl}/api/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ events: [{ id: "neg", timestamp: "2026-10-01T00:00:00Z", agent: "a", type: "llm.call", cost: { amount: "-1", currency: "USD" } }] }),
  });
  const body = await res.json();
  expect(body.accepted).toBe(0);
  expect(body.rejected[0].errors.join(" ")).toMatch(/cost\.amount/);
});
