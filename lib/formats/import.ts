// Streaming file import (CSV or NDJSON): rows are read as they arrive, mapped, and ingested in batches through
// lib/ingest, so a 1M-row file never sits in memory. Per-row errors are stored for the downloadable report.
// One request imports at most IMPORT_MAX_DECOMPRESSED_BYTES, IMPORT_MAX_ROWS lines and IMPORT_MAX_SECONDS of work
// (413 naming the cap), so a small gzip bomb cannot keep the server busy.
import "server-only";
import { Readable, Transform, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { PayloadTooLargeError } from "@/lib/api/errors";
import { csvRecords, toCsv } from "@/lib/csv";
import { db, pool } from "@/lib/db";
import { env } from "@/lib/env";
import type { KeyPolicy } from "@/lib/ingest/policy";
import type { IngestResponse } from "@/lib/ingest/schemas";
import { csvRowToEvent, defaultMapping } from "./csv";
import { ingestMapped } from "./ingest";
import { emptyBatch } from "./mapped";

const BATCH_ROWS = 5_000;
const MAX_LINE_BYTES = 1024 * 1024;
/** Stored error rows per import; the counts stay exact beyond it. */
export const MAX_STORED_ERRORS = 100_000;

export type ImportFormat = "csv" | "ndjson";

export type ImportCaps = { maxBytes: number; maxRows: number; maxSeconds: number };

export const capsFromEnv = (): ImportCaps => {
  const e = env();
  return { maxBytes: e.IMPORT_MAX_DECOMPRESSED_BYTES, maxRows: e.IMPORT_MAX_ROWS, maxSeconds: e.IMPORT_MAX_SECONDS };
};

export const capErrors = {
  bytes: (c: ImportCaps) => new PayloadTooLargeError(`The file exceeds IMPORT_MAX_DECOMPRESSED_BYTES (${c.maxBytes} bytes after decompression): split it or raise the setting`),
  rows: (c: ImportCaps) => new PayloadTooLargeError(`The file exceeds IMPORT_MAX_ROWS (${c.maxRows} lines, blank lines included): split it or raise the setting`),
  time: (c: ImportCaps) => new PayloadTooLargeError(`The import exceeds IMPORT_MAX_SECONDS (${c.maxSeconds} s of processing): split the file or raise the setting`),
};

/** Passes the decompressed bytes through, counting bytes and lines; errors at the first cap crossed. */
export function capCounter(caps: ImportCaps, deadline: number): Transform {
  let bytes = 0;
  let lines = 1; // the line being read; each newline starts another
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > caps.maxBytes) return done(capErrors.bytes(caps));
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (lines > caps.maxRows) return done(capErrors.rows(caps));
      if (Date.now() > deadline) return done(capErrors.time(caps));
      done(null, chunk);
    },
  });
}

/**
 * Splits a byte stream into numbered lines without holding more than one partial line. Empty lines are counted but
 * not yielded, so a file of newlines costs a loop step per line, not an await.
 */
async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<{ row: number; text: string }> {
  let rest = Buffer.alloc(0);
  let row = 0;
  for await (const chunk of stream) {
    let buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let nl: number;
    while ((nl = buf.indexOf(10)) !== -1) {
      row++;
      if (nl > 1 || (nl === 1 && buf[0] !== 13)) yield { row, text: buf.subarray(0, nl).toString("utf8").replace(/\r$/, "") };
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > MAX_LINE_BYTES) throw new Error(`a line is longer than ${MAX_LINE_BYTES} bytes`);
    rest = Buffer.from(buf); // copy, so the chunk it came from can be freed
  }
  if (rest.length) yield { row: row + 1, text: rest.toString("utf8").replace(/\r$/, "") };
}

/** NDJSON: one contract event per line; blank lines are skipped but still counted, so row = line number. */
async function* ndjsonRows(stream: AsyncIterable<Buffer>): AsyncGenerator<{ row: number; item: unknown } | { row: number; error: string }> {
  for await (const { row, text } of lines(stream)) {
    if (text.trim() === "") continue;
    try {
      yield { row, item: JSON.parse(text) };
    } catch (error) {
      yield { row, error: `(row): not valid JSON: ${(error as Error).message.slice(0, 200)}` };
    }
  }
}

/** CSV: a header line, then one event per record, mapped by `mapping` (default: columns named like fields). */
async function* csvRows(stream: Readable, mapping: Record<string, string> | null): AsyncGenerator<{ row: number; item: unknown }> {
  const parser = parse({ bom: true, columns: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_LINE_BYTES });
  // pipeline (not pipe): an error upstream (a cap) must end the parser's iteration too.
  pipeline(stream, parser, () => {});
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
  /** The uploading API key's policy, or UNRESTRICTED for an admin's upload. */
  policy: KeyPolicy;
  mapping: Record<string, string> | null;
  createdById: number | null;
};

export async function runImport(input: ImportInput, caps: ImportCaps = capsFromEnv()) {
  const job = await db.importJob.create({
    data: { fileName: input.fileName, format: input.format, source: input.source, status: "running", createdById: input.createdById },
  });
  const totals = { rows: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const stored = { count: 0 };
  let error: string | null = null;
  let capError: PayloadTooLargeError | null = null;
  const deadline = Date.now() + caps.maxSeconds * 1000;
  const counter = capCounter(caps, deadline);
  // Also when no data arrives (a slow upload, a stalled batch): the counter is failed at the deadline.
  const timer = setTimeout(() => counter.destroy(capErrors.time(caps)), caps.maxSeconds * 1000);
  try {
    const upload = Readable.fromWeb(input.body as import("node:stream/web").ReadableStream<Uint8Array>);
    // pipeline destroys every stage on an error, so the rows' iteration below ends with it.
    const stream: Readable = input.gzip ? pipeline(upload, createGunzip(), counter, () => {}) : pipeline(upload, counter, () => {});
    const source = input.format === "csv" ? csvRows(stream, input.mapping) : ndjsonRows(stream);

    let batch = emptyBatch();
    let rows: number[] = []; // file row of each batch position
    const flush = async () => {
      const response = await ingestMapped(input.source, batch, input.policy);
      totals.accepted += response.accepted;
      totals.duplicates += response.duplicates;
      totals.rejected += response.rejected.length;
      await storeErrors(job.id, response, rows, stored);
      batch = emptyBatch();
      rows = [];
    };
    for await (const entry of source) {
      if (Date.now() > deadline) throw capErrors.time(caps);
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
    if (e instanceof PayloadTooLargeError) capError = e;
    error = `stopped after ${totals.rows} rows: ${(e as Error).message.slice(0, 500)}`;
  } finally {
    clearTimeout(timer);
  }
  const finished = await db.importJob.update({
    where: { id: job.id },
    data: { ...totals, status: error ? "failed" : "succeeded", error, finishedAt: new Date() },
  });
  // A cap (upload size, decompressed size, lines, time) is a 413 for the request; the job row keeps the counts.
  if (capError) throw new PayloadTooLargeError(`${capError.message} (import ${finished.id} stopped after ${totals.rows} rows)`);
  return finished;
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
