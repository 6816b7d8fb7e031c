// Archive files of raw events: one UTC month as gzip'd CSV (PostgreSQL's COPY format, with a header row) and a JSON
// manifest beside it. Streamed end to end (COPY TO STDOUT -> gzip -> file, and back), so memory stays bounded
// whatever the month holds. No "server-only": the restore command (scripts/retention-restore.ts) uses it too.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";

export type Manifest = {
  format: "agentledger.usage_events.csv.gz/1";
  /** YYYY-MM, UTC. */
  month: string;
  /** [from, to) of the month, ISO instants. */
  from: string;
  to: string;
  rows: number;
  /** Bytes and SHA-256 (hex) of the .csv.gz file. */
  bytes: number;
  sha256: string;
  /** usage_events' columns in the file's order (its header row). */
  columns: string[];
  createdAt: string;
};

export const manifestPath = (file: string) => file.replace(/\.csv\.gz$/, ".manifest.json");

/** Passes bytes through while hashing and counting them. */
function digest(): Transform & { sha256: () => string; bytes: () => number } {
  const hash = createHash("sha256");
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return Object.assign(t, { sha256: () => hash.digest("hex"), bytes: () => bytes });
}

/** Writes `SELECT columns FROM partition` to `file` as gzip'd CSV; returns rows (as COPY reports them), bytes, sha256. */
export async function writeArchive(client: pg.ClientBase, partition: string, columns: string[], file: string) {
  const cols = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(", ");
  const copy = client.query(copyTo(`COPY "${partition.replace(/"/g, '""')}" (${cols}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
  const d = digest();
  await pipeline(copy, createGzip({ level: 6 }), d, createWriteStream(file, { flags: "wx" }));
  return { rows: copy.rowCount, bytes: d.bytes(), sha256: d.sha256() };
}

/**
 * Reads an archive back: its SHA-256 and byte count as stored, and its CSV records (header excluded), counted by a
 * quote-aware scan (PostgreSQL quotes any field holding a line break). A damaged gzip stream fails here.
 */
export async function readBackArchive(file: string): Promise<{ rows: number; bytes: number; sha256: string }> {
  const d = digest();
  let records = 0;
  let quoted = false;
  const counter = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 0x22) quoted = !quoted;
        else if (b === 0x0a && !quoted) records++;
      }
      done();
    },
  });
  await pipeline(createReadStream(file), d, createGunzip(), counter);
  return { rows: Math.max(0, records - 1), bytes: d.bytes(), sha256: d.sha256() };
}

export async function readManifest(file: string): Promise<Manifest> {
  const manifest = JSON.parse(await readFile(manifestPath(file), "utf8")) as Manifest;
  if (manifest.format !== "agentledger.usage_events.csv.gz/1") throw new Error(`${manifestPath(file)}: not an AgentLedger raw event archive manifest`);
  return manifest;
}

/** COPYs the archive's rows into `table` (a temporary table shaped like usage_events) on `client`; returns the rows copied. */
export async function copyArchiveInto(client: pg.ClientBase, table: string, manifest: Manifest, file: string): Promise<number> {
  const cols = manifest.columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(", ");
  const copy = client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN WITH (FORMAT csv, HEADER true)`));
  await pipeline(createReadStream(file), createGunzip(), copy);
  return copy.rowCount;
}
