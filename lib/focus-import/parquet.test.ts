// Reading FOCUS Parquet: the same rows as Parquet (text columns, or the typed columns cloud exports use) and as CSV
// map to the same charges, identity included; values convert exactly; a damaged file fails with a clear reason.
import { parse } from "csv-parse/sync";
import type { AsyncBuffer } from "hyparquet";
import { describe, expect, test } from "vitest";
import { mapRecord, mappingSources, compileFilter } from "./map";
import { cellText, isParquet, parquetRecords, ParquetFileError } from "./parquet";
import { focusSettings } from "./settings-schema";
import { AI_FILE_COLUMNS, aiFocusCsv, azureOpenAi, bedrock, bedrockMarketplace, compute, vertex, type AiRow } from "./test-files";
import { focusParquet } from "./test-parquet";

const memory = (bytes: Uint8Array): AsyncBuffer => ({ byteLength: bytes.length, slice: (s, e) => bytes.slice(s, e).buffer });

async function readAll(bytes: Uint8Array, options: { rowEnd?: number } = {}) {
  const groups: number[] = [];
  const records = [];
  for await (const group of parquetRecords(memory(bytes), { ...options, onRowGroup: (g) => groups.push(g.rows) })) records.push(...group);
  return { records, groups };
}

const rows: AiRow[] = [
  bedrock(),
  bedrockMarketplace({ ChargeCategory: "Credit", ChargeClass: "Correction", BilledCost: "-0.4250000001", EffectiveCost: "-0.4250000001" }),
  azureOpenAi({ ChargePeriodEnd: "2026-10-10T00:00:00Z", EffectiveCost: "13.50" }),
  vertex({ BilledCost: "123456789.0123456789", EffectiveCost: "123456789.0123456789" }),
  compute(),
];

describe("FOCUS Parquet", () => {
  test("the same rows as CSV and as Parquet (text or typed columns, several row groups) map to identical charges", async () => {
    const settings = focusSettings({});
    const isAi = compileFilter(settings.filter);
    const sources = mappingSources(settings);
    const csv = (parse(aiFocusCsv(rows), { columns: true }) as Record<string, string>[]).map((r) => mapRecord(r, settings, isAi, sources));
    for (const typed of [false, true]) {
      const file = focusParquet(AI_FILE_COLUMNS, rows, { typed, rowGroupSize: 2 });
      expect(isParquet(file)).toBe(true);
      const { records, groups } = await readAll(file);
      expect(groups).toEqual([2, 2, 1]);
      expect(records.map((r) => mapRecord(r, settings, isAi, sources))).toEqual(csv);
    }
    expect(csv.map((c) => c.kind)).toEqual(["charge", "charge", "charge", "charge", "skipped"]);
  });

  test("the preview's first rows stop inside the first row group", async () => {
    const { records, groups } = await readAll(focusParquet(AI_FILE_COLUMNS, rows, { rowGroupSize: 3 }), { rowEnd: 2 });
    expect(records).toHaveLength(2);
    expect(groups).toEqual([2]);
  });

  test("cells: exact decimals of any width and sign, timestamps in UTC, maps and bytes", () => {
    expect(cellText(-1234567890123456789n, 10)).toBe("-123456789.0123456789");
    expect(cellText(new Uint8Array([0xff, 0xfe]), 2)).toBe("-0.02");
    expect(cellText(5, 0)).toBe("5");
    expect(cellText(new Date(Date.UTC(2026, 9, 1)))).toBe("2026-10-01T00:00:00.000Z");
    expect(cellText({ "cost-center": "RND", n: 1n })).toBe('{"cost-center":"RND","n":"1"}');
    expect(cellText(new TextEncoder().encode("x"))).toBe("x");
    expect(cellText(null)).toBeUndefined();
  });

  test("a truncated or damaged file fails with a Parquet error naming the problem", async () => {
    const file = focusParquet(AI_FILE_COLUMNS, rows);
    await expect(readAll(file.slice(0, file.length - 10))).rejects.toThrow(/parquet: .*PAR1/);
    const damaged = file.slice();
    damaged.fill(0x7f, 8, 400); // the first column chunks' pages
    await expect(readAll(damaged)).rejects.toBeInstanceOf(ParquetFileError);
    await expect(readAll(new TextEncoder().encode("PAR1 but not really PAR1"))).rejects.toThrow(/parquet: /);
  });
});
