"use client";
// The one table (TanStack Table): every column sorts (numbers as numbers), a search box, paging (or the server's
// "load more"), a column menu, a sticky header, numbers right-aligned, an optional totals row, loading and empty
// states, and a CSV of exactly what is shown — the filtered rows in their shown order and the shown columns, with
// raw values (money as plain decimals) through the product's one CSV writer.
import {
  getCoreRowModel,
  getExpandedRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type SortingState,
  type Table,
} from "@tanstack/react-table";
import { useMemo, useState, type ReactNode } from "react";
import { downloadCsv } from "@/components/charts/csv";
import { toCsv, type CsvValue } from "@/lib/csv";
import { Empty, Loading } from "./states";
import { compareKeys, csvValue, formatCell, isNumeric, sortKey, totalValue, type Column } from "./table/columns";
import { useTimeZone } from "./time-zone";

export type { Column, ColumnType, CellValue } from "./table/columns";

/** Rows loaded page by page by the server (a cursor): the table shows what is loaded and offers the next page. */
export type LoadMore = { hasMore: boolean; loading: boolean; onMore: () => void; label?: string };

export type DataTableProps<T> = {
  /** Heading, caption and the region's accessible name. */
  title: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** The CSV file name; without it there is no download (e.g. a table of form controls). */
  csvName?: string;
  empty?: string;
  loading?: boolean;
  /** Rows per page (client paging); a "Show all" button lifts it. */
  pageSize?: number;
  loadMore?: LoadMore;
  /** A totals row over the filtered rows, from the columns' `total`. */
  totals?: boolean;
  /** Shown by default only past a handful of rows. */
  search?: boolean;
  initialSort?: { id: string; desc: boolean };
  /** Members of an aggregate row (e.g. "Other"): the row expands into them. */
  subRows?: (row: T) => T[] | undefined;
  /** Extra controls next to the heading (filters, actions). */
  actions?: ReactNode;
  /** Heading level and text can be left to the page: `heading={false}` keeps the caption only. */
  heading?: boolean;
  description?: ReactNode;
};

const SEARCH_FROM_ROWS = 10;

export function DataTable<T>({
  title, columns, rows, rowKey, csvName, empty = "No data for these filters.", loading = false, pageSize = 25, loadMore, totals = false,
  search, initialSort, subRows, actions, heading = true, description,
}: DataTableProps<T>) {
  const timeZone = useTimeZone();
  const [sorting, setSorting] = useState<SortingState>(initialSort ? [initialSort] : []);
  const [globalFilter, setGlobalFilter] = useState("");
  const [columnVisibility, setColumnVisibility] = useState<Record<string, boolean>>(() => Object.fromEntries(columns.filter((c) => c.hidden).map((c) => [c.id, false])));
  const [pagination, setPagination] = useState({ pageIndex: 0, pageSize });
  const [expanded, setExpanded] = useState({});
  const byId = useMemo(() => new Map(columns.map((c) => [c.id, c])), [columns]);

  const defs = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        // null → undefined, so that TanStack keeps missing values last in either direction.
        accessorFn: (row: T) => (c.value ? (sortKey(c.type, c.value(row)) ?? undefined) : undefined),
        enableSorting: c.value !== undefined,
        enableGlobalFilter: c.value !== undefined,
        enableHiding: true,
        sortDescFirst: isNumeric(c.type),
        sortUndefined: "last" as const,
        sortingFn: (a: Row<T>, b: Row<T>, id: string) => compareKeys(a.getValue<number | string>(id), b.getValue<number | string>(id)),
      })),
    [columns],
  );

  const paged = loadMore === undefined;
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler in this project; the table's state lives here.
  const table = useReactTable<T>({
    data: rows,
    columns: defs,
    state: { sorting, globalFilter, columnVisibility, pagination, expanded },
    onSortingChange: setSorting,
    onGlobalFilterChange: (v: string) => {
      setGlobalFilter(v);
      setPagination((p) => ({ ...p, pageIndex: 0 }));
    },
    onColumnVisibilityChange: setColumnVisibility,
    onPaginationChange: setPagination,
    onExpandedChange: setExpanded,
    getRowId: (row, index, parent) => (parent ? `${parent.id}/${rowKey(row)}` : rowKey(row)) || String(index),
    getSubRows: subRows,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
    ...(paged ? { getPaginationRowModel: getPaginationRowModel() } : {}),
    autoResetPageIndex: false,
    // Search the shown text of each searchable column (what the reader sees), not the sort key.
    globalFilterFn: (row, columnId, query: string) => {
      const column = byId.get(columnId)!;
      const value = column.value!(row.original);
      const text = `${value ?? ""} ${formatCell(column, value, timeZone)}`.toLowerCase();
      return text.includes(query.trim().toLowerCase());
    },
  });

  const shownColumns = table.getVisibleLeafColumns().map((c) => byId.get(c.id)!);
  const shownRows = table.getPrePaginationRowModel().rows; // filtered, sorted, expanded: the CSV's rows
  const pageRows = table.getRowModel().rows;
  const topRows = table.getFilteredRowModel().rows.map((r) => r.original); // totals never count an expanded member twice
  const totalCells = totals ? shownColumns.map((c) => totalValue(c, topRows)) : [];
  const showSearch = search ?? rows.length > SEARCH_FROM_ROWS;

  const csv = () => {
    const csvColumns = shownColumns.filter((c) => c.csv !== false && (c.value || c.csv));
    const records: CsvValue[][] = shownRows.map((r) => csvColumns.map((c) => csvValue(c, r.original)));
    if (totals) records.push(csvColumns.map((c, i) => (i === 0 && !c.total ? "Total" : totalValue(c, topRows))));
    return toCsv(csvColumns.map((c) => c.header), records);
  };

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label={title}>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        {heading && <h2 className="mr-auto font-medium">{title}</h2>}
        {!heading && <span className="mr-auto" />}
        {actions}
        {showSearch && (
          <input
            type="search"
            aria-label={`Search ${title}`}
            placeholder="Search…"
            value={globalFilter}
            onChange={(e) => table.setGlobalFilter(e.target.value)}
            className="w-44 rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
        )}
        {columns.length > 3 && <ColumnMenu columns={table.getAllLeafColumns().map((c) => ({ id: c.id, header: byId.get(c.id)!.header, shown: c.getIsVisible(), toggle: () => c.toggleVisibility() }))} />}
        {csvName && (
          <button
            type="button"
            onClick={() => downloadCsv(csvName, csv())}
            disabled={shownRows.length === 0}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
          >
            Download CSV
          </button>
        )}
      </div>
      {description && <div className="mb-2 text-xs text-slate-500">{description}</div>}
      {loading ? (
        <Loading what={title.toLowerCase()} />
      ) : rows.length === 0 ? (
        <Empty message={empty} />
      ) : (
        <>
          <div className="max-h-[70vh] overflow-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">{title}</caption>
              <thead className="sticky top-0 z-10 bg-white">
                <tr className="text-left text-slate-500">
                  {table.getFlatHeaders().map((h) => {
                    const column = byId.get(h.column.id)!;
                    const sorted = h.column.getIsSorted();
                    const numeric = isNumeric(column.type);
                    return (
                      <th
                        key={h.id}
                        scope="col"
                        aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : h.column.getCanSort() ? "none" : undefined}
                        className={`whitespace-nowrap border-b border-slate-200 px-2 py-1.5 font-normal ${numeric ? "text-right" : ""}`}
                      >
                        {h.column.getCanSort() ? (
                          <button type="button" onClick={h.column.getToggleSortingHandler()} className={`inline-flex items-center gap-1 hover:text-slate-900 ${numeric ? "flex-row-reverse" : ""}`}>
                            {column.header}
                            <span aria-hidden className="w-3 text-xs">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                          </button>
                        ) : (
                          column.header
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {pageRows.length === 0 ? (
                  <tr>
                    <td colSpan={shownColumns.length} className="px-2 py-4 text-center text-slate-500">No rows match “{globalFilter}”.</td>
                  </tr>
                ) : (
                  pageRows.map((row) => (
                    <tr key={row.id} className={`border-t border-slate-100 align-top ${row.depth > 0 ? "bg-slate-50" : ""}`}>
                      {shownColumns.map((c, i) => (
                        <td key={c.id} className={`px-2 py-1.5 ${isNumeric(c.type) ? "text-right tabular-nums" : ""}`}>
                          {i === 0 && (row.getCanExpand() || row.depth > 0) ? (
                            <span className="inline-flex items-center gap-1" style={{ paddingLeft: `${row.depth * 1.25}rem` }}>
                              {row.getCanExpand() && (
                                <button type="button" onClick={row.getToggleExpandedHandler()} aria-expanded={row.getIsExpanded()} aria-label={`${row.getIsExpanded() ? "Collapse" : "Expand"} ${String(c.value?.(row.original) ?? "row")}`} className="w-4 text-slate-500">
                                  {row.getIsExpanded() ? "▾" : "▸"}
                                </button>
                              )}
                              {c.cell ? c.cell(row.original) : formatCell(c, c.value?.(row.original) ?? null, timeZone)}
                            </span>
                          ) : c.cell ? (
                            c.cell(row.original)
                          ) : (
                            formatCell(c, c.value?.(row.original) ?? null, timeZone)
                          )}
                        </td>
                      ))}
                    </tr>
                  ))
                )}
              </tbody>
              {totals && (
                <tfoot className="sticky bottom-0 bg-white">
                  <tr className="border-t-2 border-slate-300 font-medium">
                    {shownColumns.map((c, i) => (
                      <td key={c.id} className={`px-2 py-1.5 ${isNumeric(c.type) ? "text-right tabular-nums" : ""}`}>
                        {c.total ? formatCell(c, totalCells[i]!, timeZone) : i === 0 ? "Total" : ""}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
          <Footer table={table} paged={paged} shown={shownRows.length} loadMore={loadMore} />
        </>
      )}
    </section>
  );
}

function Footer<T>({ table, paged, shown, loadMore }: { table: Table<T>; paged: boolean; shown: number; loadMore?: LoadMore }) {
  const button = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs hover:bg-slate-100 disabled:opacity-50";
  if (!paged) {
    if (!loadMore?.hasMore) return null;
    return (
      <div className="mt-2 flex items-center gap-2 text-xs text-slate-500">
        <span>{shown} loaded</span>
        <button type="button" onClick={loadMore.onMore} disabled={loadMore.loading} className={button}>
          {loadMore.loading ? "Loading…" : (loadMore.label ?? "Load more")}
        </button>
      </div>
    );
  }
  const { pageIndex, pageSize } = table.getState().pagination;
  if (shown <= pageSize && pageIndex === 0) return null;
  const first = pageIndex * pageSize + 1;
  const last = Math.min(shown, first + pageSize - 1);
  return (
    <nav aria-label="Pages" className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-500">
      <span className="tabular-nums">
        {first}–{last} of {shown}
      </span>
      <button type="button" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()} className={button}>
        Previous
      </button>
      <button type="button" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()} className={button}>
        Next
      </button>
      {shown > pageSize && (
        <button type="button" onClick={() => table.setPagination({ pageIndex: 0, pageSize: shown })} className={button}>
          Show all {shown} rows
        </button>
      )}
    </nav>
  );
}

function ColumnMenu({ columns }: { columns: { id: string; header: string; shown: boolean; toggle: () => void }[] }) {
  const shownCount = columns.filter((c) => c.shown).length;
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs hover:bg-slate-100">Columns</summary>
      <fieldset className="absolute right-0 z-20 mt-1 w-52 space-y-1 rounded-md border border-slate-200 bg-white p-2 text-sm shadow-lg">
        <legend className="sr-only">Shown columns</legend>
        {columns.map((c) => (
          <label key={c.id} className="flex items-center gap-2">
            {/* The last shown column stays: a table with no columns helps no one. */}
            <input type="checkbox" checked={c.shown} disabled={c.shown && shownCount === 1} onChange={c.toggle} />
            {c.header || c.id}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
