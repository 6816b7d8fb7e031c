// Parquet versions of FOCUS rows, for the tests and bench:focus-import, written with hyparquet-writer (a dev
// dependency). "typed" writes the column types cloud exports use (AWS Data Exports and Azure's FOCUS Parquet):
// amounts as DECIMAL(38,12) and ConsumedQuantity as DECIMAL(38,15) (wide enough for the FinOps sample's values),
// date-times as TIMESTAMP; otherwise every column is text, as a converted CSV would be.
import { parquetWriteBuffer } from "hyparquet-writer";
import { Decimal } from "@/lib/allocation/decimal";
import { parseDateTime } from "./columns";

const DECIMALS = new Map([["BilledCost", 12], ["EffectiveCost", 12], ["ListCost", 12], ["ContractedCost", 12], ["ConsumedQuantity", 15]]);
const TIMESTAMPS = new Set(["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"]);

/** The writer's own schema type (hyparquet-writer carries its own copy of hyparquet's types). */
type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]["schema"]>[number];
type Cell = string | number | boolean | bigint | null | undefined;

function element(name: string, typed: boolean): SchemaElement {
  if (typed && DECIMALS.has(name)) return { name, type: "FIXED_LEN_BYTE_ARRAY", type_length: 16, converted_type: "DECIMAL", precision: 38, scale: DECIMALS.get(name), repetition_type: "OPTIONAL" };
  if (typed && TIMESTAMPS.has(name)) return { name, type: "INT64", converted_type: "TIMESTAMP_MILLIS", repetition_type: "OPTIONAL" };
  return { name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" };
}

function value(name: string, cell: Cell, typed: boolean): unknown {
  if (cell === null || cell === undefined || cell === "" || cell === "NULL") return null;
  const text = String(cell);
  if (!typed) return text;
  if (DECIMALS.has(name)) return BigInt(new Decimal(text).times(new Decimal(10).pow(DECIMALS.get(name)!)).toFixed(0));
  if (TIMESTAMPS.has(name)) return new Date(parseDateTime(text)!);
  return text;
}

/** A Parquet file of `rows` with `columns` (snappy-compressed unless `codec` says otherwise). */
export function focusParquet(
  columns: readonly string[],
  rows: readonly Record<string, Cell>[],
  options: { typed?: boolean; rowGroupSize?: number; codec?: "SNAPPY" | "UNCOMPRESSED" } = {},
): Uint8Array<ArrayBuffer> {
  const typed = options.typed ?? false;
  const schema: SchemaElement[] = [{ name: "root", num_children: columns.length }, ...columns.map((c) => element(c, typed))];
  const columnData = columns.map((name) => ({ name, data: rows.map((r) => value(name, r[name], typed)) }));
  return new Uint8Array(parquetWriteBuffer({ columnData, schema, codec: options.codec ?? "SNAPPY", rowGroupSize: options.rowGroupSize ?? 100_000 }));
}
