"use client";
import { downloadCsv, tableCsv, type Column } from "./csv";

export function CsvButton<T>({ filename, columns, rows, label = "Download CSV" }: { filename: string; columns: Column<T>[]; rows: T[]; label?: string }) {
  return (
    <button
      type="button"
      onClick={() => downloadCsv(filename, tableCsv(columns, rows))}
      disabled={rows.length === 0}
      className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
    >
      {label}
    </button>
  );
}
