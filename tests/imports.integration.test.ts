// File import through the streaming path: CSV with a column mapping and a per-row error report, NDJSON
// idempotency against the JSON path, and a large NDJSON file with bounded memory (IMPORT_ROWS, default 200k).
import { beforeAll, describe, expect, test } from "vitest";
import { pool } from "@/lib/db";
import { errorReportCsv, runImport } from "@/lib/formats/import";
import { ingestEvents } from "@/lib/ingest/ingest";
import { UNRESTRICTED } from "@/lib/ingest/policy";

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, updated_at) VALUES (1, 'T', 'USD', now()) ON CONFLICT DO NOTHING");
  await pool.query("INSERT INTO departments (code, name, updated_at) VALUES ('SUPPORT', 'Support', now())");
});

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

async function collect(gen: AsyncGenerator<string>) {
  let out = "";
  for await (const part of gen) out += part;
  return out;
}

describe("CSV", () => {
  test("maps columns, stores valid rows, reports bad rows by file row", async () => {
    const csv = [
      "event_id,when,bot,kind,usd,dept,note",
      "c1,2026-11-01T10:00:00Z,triage,agent.action,0.25,SUPPORT,ok",
      "c2,not-a-time,triage,agent.action,0.25,SUPPORT,bad time",
      "c3,2026-11-01T11:00:00Z,triage,agent.action,0.50,NOPE,\"=cmd(), unknown dept\"",
      "c1,2026-11-01T10:00:00Z,triage,agent.action,0.25,SUPPORT,duplicate",
      "c4,2026-11-01T12:00:00Z,triage,agent.action,1.00,,no dept",
    ].join("\r\n");
    const mapping = { id: "event_id", timestamp: "when", agent: "bot", type: "kind", "cost.amount": "usd", department: "dept", "properties.note": "note" };
    const currencyless = await runImport({ body: streamOf(csv), gzip: false, format: "csv", fileName: "a.csv", source: "file-import", mapping, createdById: null, policy: UNRESTRICTED });
    // cost.currency is required by the contract: every row with an amount is rejected without it.
    expect(currencyless).toMatchObject({ status: "succeeded", rows: 5, accepted: 0, rejected: 5 });

    const withCurrency = csv.replace("event_id,when", "event_id,when").split("\r\n").map((l, i) => (i === 0 ? `${l},cur` : `${l},USD`)).join("\n");
    const job = await runImport({ body: streamOf(withCurrency), gzip: false, format: "csv", fileName: "b.csv", source: "file-import", mapping: { ...mapping, "cost.currency": "cur" }, createdById: null, policy: UNRESTRICTED });
    expect(job).toMatchObject({ status: "succeeded", rows: 5, accepted: 2, duplicates: 1, rejected: 2 });
    const report = await collect(errorReportCsv(job.id));
    expect(report.split("\r\n")[0]).toBe("row,id,errors");
    expect(report).toContain(`2,c2,"timestamp: must be an RFC 3339 date-time`);
    expect(report).toMatch(/\n3,c3,.*department/);
    const stored = await pool.query("SELECT sum(cost)::text AS cost, count(*)::int AS n FROM usage_events WHERE source = 'file-import'");
    expect(stored.rows[0]).toEqual({ cost: "1.2500000000", n: 2 });
  });
});

describe("NDJSON", () => {
  test("blank lines and bad JSON are counted by line; ids already sent through the JSON API are duplicates", async () => {
    await ingestEvents("key-src", [{ id: "n1", timestamp: "2026-11-01T10:00:00Z", agent: "a", type: "agent.action" }], UNRESTRICTED);
    const lines = [
      JSON.stringify({ id: "n1", timestamp: "2026-11-01T10:00:00Z", agent: "a", type: "agent.action" }),
      "",
      "{oops",
      JSON.stringify({ id: "n2", timestamp: "2026-11-01T10:00:00Z", agent: "a", type: "agent.action", quantity: "2.5" }),
    ].join("\n");
    const job = await runImport({ body: streamOf(lines), gzip: false, format: "ndjson", fileName: "e.ndjson", source: "key-src", mapping: null, createdById: null, policy: UNRESTRICTED });
    expect(job).toMatchObject({ rows: 3, accepted: 1, duplicates: 1, rejected: 1 });
    expect(await collect(errorReportCsv(job.id))).toMatch(/^row,id,errors\r\n3,,\(row\): not valid JSON/);
  });

  test("a large file streams with bounded memory", async () => {
    const total = Number(process.env.IMPORT_ROWS ?? 200_000);
    const agents = ["triage", "closer", "researcher", "coder"];
    let produced = 0;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= total) return controller.close();
        let chunk = "";
        for (let i = 0; i < 2_000 && produced < total; i++, produced++) {
          const at = new Date(Date.UTC(2026, 9, 1) + produced * 1000).toISOString();
          chunk += `{"id":"big-${produced}","timestamp":"${at}","agent":"${agents[produced % 4]}","type":"llm.call","model":"m","tokens":{"input":${produced % 1000},"output":7},"cost":{"amount":"0.001","currency":"USD"},"properties":{"n":${produced % 10}}}\n`;
        }
        controller.enqueue(encoder.encode(chunk));
      },
    });
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const started = Date.now();
    const job = await runImport({ body, gzip: false, format: "ndjson", fileName: "big.ndjson", source: "bench", mapping: null, createdById: null, policy: UNRESTRICTED });
    clearInterval(sampler);
    const seconds = (Date.now() - started) / 1000;
    console.log(`import of ${total} NDJSON rows: ${seconds.toFixed(1)} s (${Math.round(total / seconds)} rows/s), RSS baseline ${(baseline / 2 ** 20).toFixed(0)} MiB, peak ${(peak / 2 ** 20).toFixed(0)} MiB`);
    expect(job).toMatchObject({ status: "succeeded", rows: total, accepted: total, rejected: 0 });
    // Memory must not grow with the file: a few batches in flight, whatever the row count.
    expect(peak - baseline).toBeLessThan(400 * 2 ** 20);
    const sums = await pool.query("SELECT count(*)::int AS n, sum(cost)::text AS cost FROM usage_events WHERE source = 'bench'");
    expect(sums.rows[0]).toEqual({ n: total, cost: (total / 1000).toFixed(10) });
  }, 900_000);
});
