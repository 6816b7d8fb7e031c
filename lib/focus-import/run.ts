// FOCUS import as a background job. The request stores the upload in the database in 1 MiB chunks (any instance's
// worker can read it) and queues "imports.focus"; the job streams the chunks through gunzip and the CSV parser (or
// reads a Parquet file row group by row group from byte ranges of the chunks),
// maps rows in batches and writes them through the ingest statement (rollups in the same statement), updating the
// import's progress after each batch. Memory is bounded by the batch and by the identity → ordinal map (one entry
// per distinct row identity). A re-run (retry after a crash) starts over: event keys make it count nothing twice.
import "server-only";
import { Readable, pipeline, type Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import type { AsyncBuffer } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import type { Caller } from "@/lib/auth/caller";
import { audit } from "@/lib/audit";
import { loadFxLookup } from "@/lib/currency/lookup";
import { db, pool } from "@/lib/db";
import { capCounter, capErrors, capsFromEnv, MAX_STORED_ERRORS, type ImportCaps } from "@/lib/formats/import";
import { scheduleAlertEvaluation } from "@/lib/alerts/schedule";
import { negate } from "@/lib/corrections/corrections";
import type { EventRow } from "@/lib/ingest/validate";
import { loadDepartments, writeEvents } from "@/lib/ingest/writer";
import { enqueueJob } from "@/lib/jobs";
import { orgSettings } from "@/lib/org";
import type { FocusRecord } from "./columns";
import { compileFilter, expandCharge, mappingSources, mapRecord, spreadDays, type FocusCharge } from "./map";
import { isParquet, parquetRecords } from "./parquet";
import { focusSettings, type FocusSettings } from "./settings-schema";

/** Every FOCUS import writes under one idempotency source, whoever uploads: the same bill is the same bill. */
export const FOCUS_SOURCE = "focus";
const CHUNK_BYTES = 1024 * 1024;
const BATCH_ROWS = 5_000;
const MAX_LINE_BYTES = 1024 * 1024;

type Options = { settings: FocusSettings };

export async function loadFocusSettings(): Promise<FocusSettings> {
  const org = await db.organization.findUnique({ where: { id: 1 }, select: { focusImport: true } });
  return focusSettings(org?.focusImport);
}

/** Stores the upload and queues its import; returns the queued import. The upload's own cap errors end it as failed. */
export async function queueFocusImport(input: { body: ReadableStream<Uint8Array>; fileName: string; caller: Caller; settings?: FocusSettings }) {
  const options: Options = { settings: input.settings ?? (await loadFocusSettings()) };
  const job = await db.importJob.create({
    data: { fileName: input.fileName, format: "focus", source: FOCUS_SOURCE, status: "queued", createdById: input.caller.kind === "user" ? input.caller.id : null, options },
  });
  let seq = 0;
  let total = 0;
  let pending: Buffer[] = [];
  let size = 0;
  const flush = async () => {
    if (!size) return;
    await pool.query("INSERT INTO import_upload_chunks (import_id, seq, data) VALUES ($1, $2, $3)", [job.id, seq++, Buffer.concat(pending, size)]);
    pending = [];
    size = 0;
  };
  try {
    for await (const chunk of Readable.fromWeb(input.body as import("node:stream/web").ReadableStream<Uint8Array>)) {
      const buf = chunk as Buffer;
      pending.push(buf);
      size += buf.length;
      total += buf.length;
      if (size >= CHUNK_BYTES) await flush();
    }
    await flush();
  } catch (error) {
    await pool.query("DELETE FROM import_upload_chunks WHERE import_id = $1", [job.id]);
    await db.importJob.update({ where: { id: job.id }, data: { status: "failed", error: `upload: ${(error as Error).message.slice(0, 500)}`, finishedAt: new Date() } });
    throw error;
  }
  const queued = await db.importJob.update({ where: { id: job.id }, data: { bytesTotal: total } });
  await enqueueJob("imports.focus", { importId: job.id });
  return queued;
}

/** The stored upload, chunk by chunk (one in memory at a time), counting bytes read for the progress. */
async function* storedUpload(importId: number, progress: { bytes: number }): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const { rows } = await pool.query<{ data: Buffer }>("SELECT data FROM import_upload_chunks WHERE import_id = $1 AND seq = $2", [importId, seq]);
    if (!rows[0]) return;
    progress.bytes += rows[0].data.length;
    yield rows[0].data;
  }
}

/** CSV (gzip recognised by its magic number: a CSV cannot start with 0x1f), streamed through the caps counter. */
function csvUpload(importId: number, head: Buffer, counter: Transform, progress: { bytes: number }): AsyncIterable<FocusRecord> {
  const upload = Readable.from(storedUpload(importId, progress));
  const stream = head[0] === 0x1f && head[1] === 0x8b ? pipeline(upload, createGunzip(), counter, () => {}) : pipeline(upload, counter, () => {});
  const parser = parse({ bom: true, columns: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_LINE_BYTES });
  pipeline(stream, parser, () => {});
  return parser as AsyncIterable<FocusRecord>;
}

/**
 * The stored upload as a random-access file (Parquet keeps its index at the end): each read fetches only the byte
 * ranges it needs from the chunks that hold them.
 */
async function storedFile(importId: number): Promise<AsyncBuffer> {
  const { rows } = await pool.query<{ seq: number; size: number }>("SELECT seq, octet_length(data) AS size FROM import_upload_chunks WHERE import_id = $1 ORDER BY seq", [importId]);
  const starts: number[] = [];
  let byteLength = 0;
  for (const r of rows) {
    starts.push(byteLength);
    byteLength += r.size;
  }
  return {
    byteLength,
    async slice(start: number, end = byteLength) {
      const out = Buffer.alloc(Math.max(0, Math.min(end, byteLength) - start));
      for (let i = 0; i < rows.length && out.length; i++) {
        const from = Math.max(start, starts[i]!);
        const to = Math.min(end, starts[i]! + rows[i]!.size);
        if (from >= to) continue;
        const part = await pool.query<{ data: Buffer }>("SELECT substring(data from $3 for $4) AS data FROM import_upload_chunks WHERE import_id = $1 AND seq = $2", [
          importId, rows[i]!.seq, from - starts[i]! + 1, to - from,
        ]);
        part.rows[0]!.data.copy(out, from - start);
      }
      return out.buffer.slice(out.byteOffset, out.byteOffset + out.length) as ArrayBuffer;
    },
  };
}

/**
 * Parquet, row group by row group: memory holds one row group's decoded columns (a row group whose uncompressed
 * size alone exceeds IMPORT_MAX_DECOMPRESSED_BYTES is refused, as is a file whose row groups add up to more).
 */
async function* parquetUpload(importId: number, caps: ImportCaps, progress: { bytes: number }): AsyncGenerator<FocusRecord> {
  let bytes = 0;
  let rows = 0;
  const file = await storedFile(importId);
  const groups = parquetRecords(file, {
    compressors,
    onRowGroup: (group) => {
      progress.bytes = Math.min(group.endByte, file.byteLength);
      bytes += group.uncompressedBytes;
      rows += group.rows;
      if (bytes > caps.maxBytes) throw capErrors.bytes(caps);
      if (rows > caps.maxRows) throw capErrors.rows(caps);
    },
  });
  for await (const records of groups) {
    yield* records;
  }
  progress.bytes = file.byteLength;
}

type Totals = { rows: number; accepted: number; duplicates: number; rejected: number; skipped: number; reversed: number };

/** Runs (or re-runs) a queued import to its end. Returns quietly for an import already finished. */
export async function processFocusImport(importId: number, caps: ImportCaps = capsFromEnv()): Promise<void> {
  const job = await db.importJob.findUnique({ where: { id: importId } });
  if (!job || job.format !== "focus" || job.status === "succeeded" || job.status === "failed") return;
  const { settings } = job.options as Options;
  const totals: Totals = { rows: 0, accepted: 0, duplicates: 0, rejected: 0, skipped: 0, reversed: 0 };
  const progress = { bytes: 0 };
  await db.importJob.update({ where: { id: importId }, data: { status: "running", ...totals, bytesRead: 0, error: null } });
  await pool.query("DELETE FROM import_row_errors WHERE import_id = $1", [importId]);
  const deadline = Date.now() + caps.maxSeconds * 1000;
  const counter = capCounter(caps, deadline);
  let error: string | null = null;
  let notice: string | null = null;
  let writing: Promise<unknown> = Promise.resolve();
  try {
    const first = await pool.query<{ head: Buffer | null }>("SELECT substring(data from 1 for 4) AS head FROM import_upload_chunks WHERE import_id = $1 AND seq = 0", [importId]);
    const head = first.rows[0]?.head ?? Buffer.alloc(0);
    const source = isParquet(head) ? parquetUpload(importId, caps, progress) : csvUpload(importId, head, counter, progress);
    const org = await orgSettings();
    const isAi = compileFilter(settings.filter);
    const sources = mappingSources(settings);
    const ordinals = new Map<string, number>();
    const periods = new Set<string>();
    let batch: { row: number; charge: FocusCharge; key: string }[] = [];
    let errors: { row: number; error: string }[] = [];
    // A batch is written while the next one is read and mapped (one write at a time, in order): the database and
    // the parser overlap instead of taking turns (the write was about half of the job's time, bench:focus-import).
    const flush = async () => {
      await writing;
      const [rows, rowErrors] = [batch, errors];
      batch = [];
      errors = [];
      writing = writeBatch(importId, rows, rowErrors, org, totals).then(() => db.importJob.update({ where: { id: importId }, data: { ...totals, bytesRead: progress.bytes } }));
      writing.catch(() => undefined); // surfaces at the next `await writing`
    };
    for await (const record of source) {
      if (Date.now() > deadline) throw capErrors.time(caps);
      const row = ++totals.rows;
      const result = mapRecord(record, settings, isAi, sources);
      if (result.kind === "skipped") totals.skipped++;
      else if (result.kind === "error") errors.push({ row, error: result.error });
      else {
        const ordinal = ordinals.get(result.charge.identity) ?? 0;
        ordinals.set(result.charge.identity, ordinal + 1);
        periods.add(JSON.stringify([result.charge.billingAccount, result.charge.billingPeriod]));
        batch.push({ row, charge: result.charge, key: `${result.charge.identity}.${ordinal}` });
      }
      if (batch.length + errors.length >= BATCH_ROWS) await flush();
    }
    await flush();
    await writing;
    // A rejected row may be a restated row: reversing its predecessor would lose that cost, so a file with rejected
    // rows restates nothing (the job says so); fixed and imported again, it does.
    if (totals.rejected > 0) notice = `restatement skipped: ${totals.rejected} rows rejected (fix them and import the file again)`;
    else totals.reversed = await restate(importId, [...periods].map((p) => JSON.parse(p) as [string, string]), isAi);
  } catch (e) {
    // A cap, a malformed file or a database error: the import ends failed with the reason (not retried: the
    // upload is dropped). What it wrote stays; uploading the file again completes it without counting twice.
    error = `stopped after ${totals.rows} rows: ${(e as Error).message.slice(0, 500)}`;
  } finally {
    await writing.catch(() => undefined); // a batch still being written when reading failed
    await finish(importId, totals, progress.bytes, error, notice);
  }
  if (totals.accepted > 0 || totals.reversed > 0) scheduleAlertEvaluation();
}

/** `notice`: a succeeded import's caveat, shown in the error field. */
async function finish(importId: number, totals: Totals, bytes: number, error: string | null, notice: string | null) {
  await db.importJob.update({ where: { id: importId }, data: { ...totals, bytesRead: bytes, status: error ? "failed" : "succeeded", error: error ?? notice, finishedAt: new Date() } });
  await pool.query("DELETE FROM import_upload_chunks WHERE import_id = $1", [importId]);
}

async function writeBatch(
  importId: number,
  batch: { row: number; charge: FocusCharge; key: string }[],
  errors: { row: number; error: string }[],
  org: { timeZone: string; currency: string },
  totals: Totals,
) {
  const codes = [...new Set(batch.flatMap((b) => (b.charge.departmentCode === null ? [] : [b.charge.departmentCode])))];
  const needs = new Map<string, { currency: string; day: string }>();
  for (const { charge } of batch) {
    if (charge.currency === org.currency) continue;
    for (const { day } of spreadDays(charge.start, charge.end, org.timeZone)) needs.set(`${charge.currency} ${day}`, { currency: charge.currency, day });
  }
  const [departments, fx] = await Promise.all([loadDepartments(pool, codes), loadFxLookup(pool, org.currency, org.timeZone, [...needs.values()])]);
  const rows: EventRow[] = [];
  for (const { row, charge, key } of batch) {
    const result = expandCharge(charge, key, { timeZone: org.timeZone, currency: org.currency, departments, fx });
    if ("error" in result) errors.push({ row, error: result.error });
    else rows.push(...result.rows);
  }
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const part = rows.slice(i, i + BATCH_ROWS);
    const accepted = await writeEvents(pool, FOCUS_SOURCE, part);
    totals.accepted += accepted;
    totals.duplicates += part.length - accepted;
    await pool.query("INSERT INTO focus_import_keys (import_id, event_key) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING", [importId, part.map((r) => r.key)]);
  }
  totals.rejected += errors.length;
  const stored = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM import_row_errors WHERE import_id = $1", [importId]);
  const room = Math.max(0, MAX_STORED_ERRORS - stored.rows[0]!.n);
  const kept = errors.slice(0, room);
  if (kept.length) {
    await pool.query("INSERT INTO import_row_errors (import_id, row, event_id, errors) SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING", [
      importId, kept.map((e) => e.row), kept.map(() => null), kept.map((e) => e.error),
    ]);
  }
}

/**
 * A newer export of a billing account's period supersedes the earlier: every earlier FOCUS event of that account
 * and period that this import did not produce or meet again gets a reversal event (never deleted; corrected like
 * lib/corrections, so rollups and finalized periods follow). Returns how many were reversed; audited.
 */
async function restate(importId: number, periods: [string, string][], isAi: (record: FocusRecord) => boolean): Promise<number> {
  let reversed = 0;
  for (const [account, period] of periods) {
    for (let after = ""; ; ) {
      const { rows } = await pool.query<{
        id: string; event_key: string; timestamp: Date; type: string; agent: string; department_id: number | null; customer: string | null;
        quantity: string; cost: string; reported_cost: string | null; input_tokens: string; output_tokens: string; properties: Record<string, unknown>;
        original_cost: string | null; original_currency: string | null; fx_rate: string | null; fx_rate_date: string | null; fx_pending: boolean;
      }>(
        `SELECT e.id::text, e.event_key, e.timestamp, e.type, a.key AS agent, e.department_id, c.key AS customer, e.quantity::text,
           e.cost::text, e.reported_cost::text, e.input_tokens::text, e.output_tokens::text, e.properties, e.original_cost::text,
           e.original_currency, e.fx_rate::text, to_char(e.fx_rate_date, 'YYYY-MM-DD') AS fx_rate_date, e.fx_pending
         FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN customers c ON c.id = e.customer_id
         WHERE e.source = $1 AND e.correction_kind IS NULL
           AND e.properties->>'billing_account' IS NOT DISTINCT FROM $2 AND e.properties->>'billing_period' IS NOT DISTINCT FROM $3
           AND NOT EXISTS (SELECT 1 FROM focus_import_keys k WHERE k.import_id = $4 AND k.event_key = e.event_key)
           AND NOT EXISTS (SELECT 1 FROM usage_event_keys r WHERE r.source = $1 AND r.event_key = e.event_key || '.rev')
           AND e.event_key > $5
         ORDER BY e.event_key LIMIT 2000`,
        [FOCUS_SOURCE, account || null, period || null, importId, after],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1]!.event_key;
      // Only rows this import's filter would keep: a row the filter now leaves out is not missing from the file.
      const missing = rows.filter((o) => isAi({ ServiceCategory: String(o.properties.service_category ?? ""), ServiceName: String(o.properties.service_name ?? "") }));
      const reversals: EventRow[] = missing.map((o) => ({
        key: `${o.event_key}.rev`,
        timestamp: o.timestamp.toISOString(),
        type: o.type,
        agentKey: o.agent,
        departmentId: o.department_id,
        customerKey: o.customer,
        quantity: negate(o.quantity),
        reportedCost: o.reported_cost === null ? null : negate(o.reported_cost),
        computedCost: null,
        computedPriceId: null,
        cost: negate(o.cost),
        priceRule: null,
        unpriced: false,
        serviceTier: null,
        model: null,
        inputTokens: -Number(o.input_tokens),
        outputTokens: -Number(o.output_tokens),
        cacheReadTokens: 0,
        cacheCreationTokens: 0,
        reasoningTokens: 0,
        taskType: null,
        handledBy: null,
        taskStatus: null,
        durationSeconds: null,
        properties: JSON.stringify({ ...o.properties, restated_by_import: importId }),
        originalCost: o.original_cost === null ? null : negate(o.original_cost),
        originalCurrency: o.original_currency,
        fxRate: o.fx_rate,
        fxRateDate: o.fx_rate_date,
        fxPending: o.fx_pending,
        correctsEventId: o.id,
        correctionKind: "reversal",
      }));
      reversed += await writeEvents(pool, FOCUS_SOURCE, reversals);
    }
  }
  if (reversed > 0) {
    await audit(db, { actor: null, action: "focus_import.restate", entity: "import", entityId: importId, after: { reversed, periods: periods.map(([account, period]) => ({ account, period })) } });
  }
  return reversed;
}
