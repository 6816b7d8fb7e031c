// CSV of a table exactly as shown (through the product's one CSV writer, lib/csv.ts), and a browser download of it.
import { toCsv } from "@/lib/csv";

export type Column<T> = { header: string; value: (row: T) => string | number | null };

export function tableCsv<T>(columns: Column<T>[], rows: T[]): string {
  return toCsv(
    columns.map((c) => c.header),
    rows.map((r) => columns.map((c) => c.value(r))),
  );
}

export function downloadCsv(filename: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
