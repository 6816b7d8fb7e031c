// FOCUS exports in Parquet (AWS Data Exports and Azure Cost Management offer it), read with hyparquet (pure
// JavaScript) row group by row group from any AsyncBuffer: the stored upload on the server (run.ts), the chosen File
// in the browser (the preview). Cells become the same text a CSV would hold, so one mapping path serves both.
// No `server-only`: the Import page reads a file's first rows with it. The decompressors are passed in: the server
// passes hyparquet-compressors (gzip, zstd, brotli, LZ4; its snappy is WebAssembly), the browser passes none, so
// hyparquet's own JavaScript snappy is used there (the app's Content-Security-Policy forbids compiling
// WebAssembly, and importing hyparquet-compressors compiles it at once).
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type Compressors, type FileMetaData, type SchemaElement } from "hyparquet";
import type { FocusRecord } from "./columns";

/** "PAR1" opens and closes every Parquet file. */
export function isParquet(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31;
}

export class ParquetFileError extends Error {}

/**
 * The file's metadata with DECIMAL columns left unconverted (hyparquet turns them into floats, which would lose
 * cents on large amounts): `decimals` holds each such column's scale, and `cellText` writes the exact value.
 */
export async function readParquetMetadata(file: AsyncBuffer): Promise<{ metadata: FileMetaData; decimals: Map<string, number> }> {
  let metadata: FileMetaData;
  try {
    const tail = new Uint8Array(await file.slice(Math.max(0, file.byteLength - 4), file.byteLength));
    if (file.byteLength < 12 || !isParquet(tail)) throw new Error("the file does not end with the Parquet magic bytes PAR1 (truncated?)");
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new ParquetFileError(`parquet: ${(error as Error).message.slice(0, 300)}`);
  }
  const decimals = new Map<string, number>();
  for (const element of metadata.schema as SchemaElement[]) {
    const exactable = element.type === "INT32" || element.type === "INT64" || element.type === "FIXED_LEN_BYTE_ARRAY";
    if (exactable && (element.converted_type === "DECIMAL" || element.logical_type?.type === "DECIMAL")) {
      decimals.set(element.name, element.scale ?? (element.logical_type?.type === "DECIMAL" ? element.logical_type.scale : 0));
      delete element.converted_type;
      delete element.logical_type;
    }
  }
  return { metadata, decimals };
}

/** Unscaled two's-complement big-endian bytes → bigint. */
function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return bytes.length && bytes[0]! & 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

function scaled(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const sign = unscaled < 0n ? "-" : "";
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? new TextDecoder().decode(v) : v));

/** A Parquet value as the text the CSV export would carry: timestamps RFC 3339 UTC, tags (a MAP or struct) as JSON. */
export function cellText(value: unknown, decimalScale?: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (decimalScale !== undefined) {
    const unscaled = value instanceof Uint8Array ? bytesToBigInt(value) : BigInt(value as number | bigint);
    return scaled(unscaled, decimalScale);
  }
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return json(value);
}

/**
 * The file's rows as FOCUS records, one row group at a time (`rowEnd` stops early: the preview's first rows).
 * Memory: one row group's decoded columns; `onRowGroup` sees each group's size before it is read (caps, progress).
 */
export async function* parquetRecords(
  file: AsyncBuffer,
  options: { rowEnd?: number; compressors?: Compressors; onRowGroup?: (group: { rows: number; uncompressedBytes: number; endByte: number }) => void } = {},
): AsyncGenerator<FocusRecord[]> {
  const { metadata, decimals } = await readParquetMetadata(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const rowEnd = Math.min(rowStart + rows, options.rowEnd ?? Infinity);
    if (rowEnd <= rowStart) return;
    const endByte = Math.max(...group.columns.map((c) => Number(c.meta_data?.data_page_offset ?? 0n) + Number(c.meta_data?.total_compressed_size ?? 0n)));
    options.onRowGroup?.({ rows: rowEnd - rowStart, uncompressedBytes: Number(group.total_byte_size), endByte });
    let objects: Record<string, unknown>[];
    try {
      objects = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors: options.compressors });
    } catch (error) {
      throw new ParquetFileError(`parquet: row group at row ${rowStart + 1}: ${(error as Error).message.slice(0, 300)}`);
    }
    yield objects.map((o) => {
      const record: FocusRecord = {};
      for (const [name, value] of Object.entries(o)) record[name] = cellText(value, decimals.get(name));
      return record;
    });
    rowStart += rows;
  }
}
