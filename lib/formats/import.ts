// Streaming file import (CSV or NDJSON): rows are read as they arrive, mapped, and ingested in batches through
// lib/ingest, so a 1M-row file never sits in memory. Per-row errors are stored for the downloadable report.
import "server-only";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { csvRecords, toCsv } from "@/lib/csv";
import { db, pool } from "@/lib/db";
import type { IngestResponse } from "@/lib/ingest/schemas";
import { csvRowToEvent, defaultMapping } from "./csv";
import { ingestMapped } from "./ingest";
import { emptyBatch } from "./mapped";

const BATCH_ROWS = 5_000;
const MAX_LINE_BYTES = 1024 * 1024;
/** Stored error rows per import; the counts stay exact beyond it. */
export const MAX_STORED_ERRORS = 100_000;

export type ImportFormat = "csv" | "ndjson";

/** Splits a byte stream into lines without holding more than one partial line. */
async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest = Buffer.alloc(0);
  for await (const chunk of stream) {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let nl: number;
    while ((nl = buf.indexOf(10)) !== -1) {
      yield buf.subarray(0, nl).toString("utf8").replace(/\r$/, "");
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > MAX_LINE_BYTES) throw new Error(`a line is longer than ${MAX_LINE_BYTES} bytes`);
    rest = Buffer.from(buf); // copy, so the chunk it came from can be freed
  }
  if (rest.length) yield rest.toString("utf8").replace(/\r$/, "");
}

/** NDJSON: one contract event per line; blank lines are skipped but still counted, so row = line number. */
async function* ndjsonRows(stream: AsyncIterable<Buffer>): AsyncGenerator<{ row: number; item: unknown } | { row: number; error: string }> {
  let row = 0;
  for await (const line of lines(stream)) {
    row++;
    if (line.trim() === "") continue;
    try {
      yield { row, item: JSON.parse(line) };
    } catch (error) {
      yield { row, error: `(row): not valid JSON: ${(error as Error).message.slice(0, 200)}` };
    }
  }
}

/** CSV: a header line, then one event per record, mapped by `mapping` (default: columns named like fields). */
async function* csvRows(stream: Readable, mapping: Record<string, string> | null): AsyncGenerator<{ row: number; item: unknown }> {
  const parser = stream.pipe(parse({ bom: true, columns: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_LINE_BYTES }));
  let row = 0;
  let effective = mapping;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    row++;
    effective ??= defaultMapping(Object.keys(record));
    yield { row, item: csvRowToEvent(record, effective) };
  }
}

async function storeErrors(importId: number, response: IngestResponse, rows: number[], stored: { count: number }) {
  const room = MAX_STORED_ERRORS - stored.count;
  const rejected = response.rejected.slice(0, Math.max(0, room));
  if (!rejected.length) return;
  stored.count += rejected.length;
  await pool.query(
    `INSERT INTO import_row_errors (import_id, row, event_id, errors)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
    [importId, rejected.map((r) => rows[r.index]!), rejected.map((r) => r.id), rejected.map((r) => r.errors.join("; "))],
  );
}

export type ImportInput = {
  body: ReadableStream<Uint8Array>;
  gzip: boolean;
  format: ImportFormat;
  fileName: string;
  source: string;
  mapping: Record<string, string> | null;
  createdById: number | null;
};

export async function runImport(input: ImportInput) {
  const job = await db.importJob.create({
    data: { fileName: input.fileName, format: input.format, source: input.source, status: "running", createdById: input.createdById },
  });
  const totals = { rows: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const stored = { count: 0 };
  let error: string | null = null;
  try {
    let stream: Readable = Readable.fromWeb(input.body as import("node:stream/web").ReadableStream<Uint8Array>);
    if (input.gzip) stream = stream.pipe(createGunzip());
    const source = input.format === "csv" ? csvRows(stream, input.mapping) : ndjsonRows(stream);

    let batch = emptyBatch();
    let rows: number[] = []; // file row of each batch position
    const flush = async () => {
      const response = await ingestMapped(input.source, batch);
      totals.accepted += response.accepted;
      totals.duplicates += response.duplicates;
      totals.rejected += response.rejected.length;
      await storeErrors(job.id, response, rows, stored);
      batch = emptyBatch();
      rows = [];
    };
    for await (const entry of source) {
      totals.rows++;
      const position = rows.length;
      rows.push(entry.row);
      if ("error" in entry) batch.rejected.push({ index: position, id: null, errors: [entry.error] });
      else {
        batch.events.push(entry.item);
        batch.origin.push(position);
      }
      if (rows.length >= BATCH_ROWS) await flush();
    }
    if (rows.length) await flush();
  } catch (e) {
    error = `stopped after ${totals.rows} rows: ${(e as Error).message.slice(0, 500)}`;
  }
  return db.importJob.update({
    where: { id: job.id },
    data: { ...totals, status: error ? "failed" : "succeeded", error, finishedAt: new Date() },
  });
}

/** The error report as CSV lines, read in keyset pages so a large report streams. */
export async function* errorReportCsv(importId: number): AsyncGenerator<string> {
  yield toCsv(["row", "id", "errors"], []);
  let after = 0;
  for (;;) {
    const page = await db.importRowError.findMany({ where: { importId, row: { gt: after } }, orderBy: { row: "asc" }, take: 5_000 });
    if (!page.length) return;
    yield csvRecords(page.map((e) => [e.row, e.eventId, e.errors]));
    after = page[page.length - 1]!.row;
  }
}
