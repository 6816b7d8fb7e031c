"use client";
// A table whose CSV download holds the same rows and columns (exact values in the CSV, formatted ones on screen).
// A long table (e.g. 168 hours × a dozen series) can show its first rows until asked for all (`collapseAfter`) and
// render only in the browser (`browserOnly`): its cells were a third of the Usage page's server time. The CSV always
// holds every row.
import { useState, type ReactNode } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Empty } from "@/components/ui/states";
import { CsvButton } from "./csv-button";

export type TableColumn<T> = {
  header: string;
  cell: (row: T) => ReactNode;
  csv: (row: T) => string | number | null;
  numeric?: boolean;
};

export function DataTable<T>({ title, columns, rows, rowKey, csvName, empty = "No data for these filters.", collapseAfter, browserOnly = false }: {
  title: string;
  columns: TableColumn<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  csvName: string;
  empty?: string;
  collapseAfter?: number;
  browserOnly?: boolean;
}) {
  const [showAll, setShowAll] = useState(false);
  const inBrowser = useHydrated();
  const visible = showAll || collapseAfter === undefined ? rows : rows.slice(0, collapseAfter);
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label={title}>
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="font-medium">{title}</h2>
        <CsvButton filename={csvName} rows={rows} columns={columns.map((c) => ({ header: c.header, value: c.csv }))} />
      </div>
      {rows.length === 0 ? (
        <Empty message={empty} />
      ) : browserOnly && !inBrowser ? (
        <p className="text-sm text-slate-500">{rows.length} rows</p>
      ) : (
        <div tabIndex={0} className="overflow-x-auto focus-visible:outline-2 focus-visible:outline-ring">
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-slate-500">
                {columns.map((c) => (
                  <th key={c.header} scope="col" className={`px-2 py-1 font-normal ${c.numeric ? "text-right" : ""}`}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {visible.map((r) => (
                <tr key={rowKey(r)} className="border-t border-slate-100">
                  {columns.map((c) => (
                    <td key={c.header} className={`px-2 py-1.5 ${c.numeric ? "text-right tabular-nums" : ""}`}>
                      {c.cell(r)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {visible.length < rows.length && (
            <button type="button" onClick={() => setShowAll(true)} className="mt-2 text-sm text-indigo-700 hover:underline">
              Show all {rows.length} rows
            </button>
          )}
        </div>
      )}
    </section>
  );
}
