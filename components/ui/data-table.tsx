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
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { downloadCsv } from "./table/download";
import { toCsv, type CsvValue } from "@/lib/csv";
import { Button, buttonVariants } from "./button";
import { Card } from "./card";
import { cn } from "./cn";
import { Input } from "./field";
import { Empty, Loading } from "./states";
import { compareKeys, csvValue, formatCell, isNumeric, sortKey, totalValue, type CellValue, type Column } from "./table/columns";
import { useTimeZone } from "./time-zone";

export type { Column, ColumnType, CellValue } from "./table/columns";

/** Rows loaded page by page by the server (a cursor): the table shows what is loaded and offers the next page. */
export type SummaryRow = { label: string; values: Record<string, CellValue>; testId?: string };

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
  /** Figures the table does not compute (e.g. an invoice's subtotal and total): footer rows, by column id. */
  summary?: SummaryRow[];
  /** Shown by default only past a handful of rows. */
  search?: boolean;
  initialSort?: { id: string; desc: boolean };
  /** The server sorts (rows come in its order): the header shows `sort` and a click asks for the next one. */
  serverSort?: { sort: { id: string; desc: boolean }; onSort: (sort: { id: string; desc: boolean }) => void };
  /** Members of an aggregate row (e.g. "Other"): the row expands into them. */
  subRows?: (row: T) => T[] | undefined;
  /** A test id on each body row (e2e). */
  rowTestId?: (row: T) => string;
  /** Extra controls next to the heading (filters, actions). */
  actions?: ReactNode;
  /** Heading level and text can be left to the page: `heading={false}` keeps the caption only. */
  heading?: boolean;
  description?: ReactNode;
};

const SEARCH_FROM_ROWS = 10;

export function DataTable<T>({
  title, columns, rows, rowKey, csvName, empty = "No data for these filters.", loading = false, pageSize = 25, loadMore, totals = false, summary = [],
  search, initialSort, serverSort, subRows, rowTestId, actions, heading = true, description,
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
    state: { sorting: serverSort ? [serverSort.sort] : sorting, globalFilter, columnVisibility, pagination, expanded },
    manualSorting: serverSort !== undefined,
    onSortingChange: (updater) => {
      if (serverSort) {
        const next = typeof updater === "function" ? updater([serverSort.sort]) : updater;
        // A third click clears TanStack's sort; the server always has one, so it flips back instead.
        serverSort.onSort(next[0] ?? { ...serverSort.sort, desc: !serverSort.sort.desc });
        return;
      }
      setSorting(updater);
      setPagination((p) => ({ ...p, pageIndex: 0 })); // a new order starts at its top
    },
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
    getPaginationRowModel: getPaginationRowModel(),
    manualPagination: !paged, // the server pages (loadMore): show every loaded row
    autoResetPageIndex: false,
    // Search the shown text of each searchable column (what the reader sees), not the sort key.
    globalFilterFn: (row, columnId, query: string) => {
      const column = byId.get(columnId)!;
      const value = column.value!(row.original);
      const text = `${value ?? ""} ${formatCell(column, value, timeZone)}`.toLowerCase();
      return text.includes(query.trim().toLowerCase());
    },
  });

  // Fewer rows than before (new data, a narrower search): never stay on a page past the end.
  const lastPage = Math.max(0, table.getPageCount() - 1);
  useEffect(() => {
    if (pagination.pageIndex > lastPage) setPagination((p) => ({ ...p, pageIndex: lastPage }));
  }, [pagination.pageIndex, lastPage]);

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
    for (const s of summary) records.push(csvColumns.map((c, i) => (c.id in s.values ? s.values[c.id]! : i === 0 ? s.label : null)));
    return toCsv(csvColumns.map((c) => c.header), records);
  };

  return (
    <Card aria-label={title}>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        {heading && <h2 className="mr-auto text-base font-semibold">{title}</h2>}
        {!heading && <span className="mr-auto" />}
        {actions}
        {showSearch && (
          <Input type="search" aria-label={`Search ${title}`} placeholder="Search…" value={globalFilter} onChange={(e) => table.setGlobalFilter(e.target.value)} className="h-8 w-44" />
        )}
        {columns.length > 3 && <ColumnMenu columns={table.getAllLeafColumns().map((c) => ({ id: c.id, header: byId.get(c.id)!.header, shown: c.getIsVisible(), toggle: () => c.toggleVisibility() }))} />}
        {csvName && (
          <Button variant="secondary" size="sm" onClick={() => downloadCsv(csvName, csv())} disabled={shownRows.length === 0}>
            Download CSV
          </Button>
        )}
      </div>
      {description && <div className="mb-2 text-xs text-muted-foreground">{description}</div>}
      {loading ? (
        <Loading what={title.toLowerCase()} />
      ) : rows.length === 0 ? (
        <Empty message={empty} />
      ) : (
        <>
          {/* Focusable, so a keyboard can scroll a wide or long table (axe scrollable-region-focusable). Relative, so
              absolutely positioned cell content (sr-only labels) scrolls inside it instead of widening the page. */}
          <div tabIndex={0} className="relative max-h-[70vh] overflow-auto rounded-sm focus-visible:outline-2 focus-visible:outline-ring">
            <table className="w-full text-sm">
              <caption className="sr-only">{title}</caption>
              <thead className="sticky top-0 z-10 bg-surface">
                <tr className="text-left text-muted-foreground">
                  {table.getFlatHeaders().map((h) => {
                    const column = byId.get(h.column.id)!;
                    const sorted = h.column.getIsSorted();
                    const numeric = isNumeric(column.type);
                    return (
                      <th
                        key={h.id}
                        scope="col"
                        aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : h.column.getCanSort() ? "none" : undefined}
                        className={cn("whitespace-nowrap border-b border-border px-2 py-1.5 font-medium", numeric && "text-right")}
                      >
                        {h.column.getCanSort() ? (
                          <button type="button" onClick={h.column.getToggleSortingHandler()} className={cn("inline-flex items-center gap-1 rounded-sm hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring", numeric && "flex-row-reverse")}>
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
                    <td colSpan={shownColumns.length} className="px-2 py-4 text-center text-muted-foreground">No rows match “{globalFilter}”.</td>
                  </tr>
                ) : (
                  pageRows.map((row) => (
                    <tr key={row.id} data-testid={rowTestId?.(row.original)} className={cn("border-t border-border align-top", row.depth > 0 && "bg-surface-muted")}>
                      {shownColumns.map((c, i) => (
                        <td key={c.id} data-testid={c.testId?.(row.original)} className={cn("px-2 py-1.5", isNumeric(c.type) && "text-right tabular-nums")}>
                          {i === 0 && (row.getCanExpand() || row.depth > 0) ? (
                            <span className="inline-flex items-center gap-1" style={{ paddingLeft: `${row.depth * 1.25}rem` }}>
                              {row.getCanExpand() && (
                                // The arrow is drawn by CSS so that the cell's text stays the value (as in the CSV).
                                <button
                                  type="button"
                                  onClick={row.getToggleExpandedHandler()}
                                  aria-expanded={row.getIsExpanded()}
                                  aria-label={`${row.getIsExpanded() ? "Collapse" : "Expand"} ${String(c.value?.(row.original) ?? "row")}`}
                                  className={cn("w-4 text-muted-foreground", row.getIsExpanded() ? "before:content-['▾']" : "before:content-['▸']")}
                                />
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
              {(totals || summary.length > 0) && (
                <tfoot className="sticky bottom-0 bg-surface">
                  {totals && (
                    <tr className="border-t-2 border-border font-semibold">
                      {shownColumns.map((c, i) => (
                        <td key={c.id} className={cn("px-2 py-1.5", isNumeric(c.type) && "text-right tabular-nums")}>
                          {c.total ? formatCell(c, totalCells[i]!, timeZone) : i === 0 ? "Total" : ""}
                        </td>
                      ))}
                    </tr>
                  )}
                  {summary.map((s) => (
                    <tr key={s.label} className="border-t border-border font-semibold">
                      {shownColumns.map((c, i) => (
                        <td key={c.id} data-testid={c.id in s.values ? s.testId : undefined} className={cn("px-2 py-1.5", isNumeric(c.type) && "text-right tabular-nums")}>
                          {c.id in s.values ? formatCell(c, s.values[c.id]!, timeZone) : i === 0 ? s.label : ""}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tfoot>
              )}
            </table>
          </div>
          <Footer title={title} table={table} paged={paged} shown={shownRows.length} loadMore={loadMore} />
        </>
      )}
    </Card>
  );
}

function Footer<T>({ title, table, paged, shown, loadMore }: { title: string; table: Table<T>; paged: boolean; shown: number; loadMore?: LoadMore }) {
  if (!paged) {
    if (!loadMore?.hasMore) return null;
    return (
      <div className="mt-2 flex items-center gap-2 text-xs text-muted-foreground">
        <span>{shown} loaded</span>
        <Button variant="secondary" size="sm" onClick={loadMore.onMore} disabled={loadMore.loading}>
          {loadMore.loading ? "Loading…" : (loadMore.label ?? "Load more")}
        </Button>
      </div>
    );
  }
  const { pageIndex, pageSize } = table.getState().pagination;
  if (shown <= pageSize && pageIndex === 0) return null;
  const first = pageIndex * pageSize + 1;
  const last = Math.min(shown, first + pageSize - 1);
  return (
    <nav aria-label={`Pages of ${title}`} className="mt-2 flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
      <span className="tabular-nums">
        {first}–{last} of {shown}
      </span>
      <Button variant="secondary" size="sm" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
        Previous
      </Button>
      <Button variant="secondary" size="sm" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
        Next
      </Button>
      {shown > pageSize && (
        <Button variant="secondary" size="sm" onClick={() => table.setPagination({ pageIndex: 0, pageSize: shown })}>
          Show all {shown} rows
        </Button>
      )}
    </nav>
  );
}

function ColumnMenu({ columns }: { columns: { id: string; header: string; shown: boolean; toggle: () => void }[] }) {
  const shownCount = columns.filter((c) => c.shown).length;
  // The checkboxes exist only while the menu is open: closed, they would be a second control named like each filter.
  const [open, setOpen] = useState(false);
  return (
    <details className="relative" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className={cn(buttonVariants({ variant: "secondary", size: "sm" }), "cursor-pointer list-none")}>Columns</summary>
      {open && <fieldset className="absolute right-0 z-20 mt-1 w-52 space-y-1 rounded-control border border-border bg-surface p-2 text-sm shadow-lg">
        <legend className="sr-only">Shown columns</legend>
        {columns.map((c) => (
          <label key={c.id} className="flex items-center gap-2">
            {/* The last shown column stays: a table with no columns helps no one. */}
            {/* Named "Show column …": a bare header name would collide with the page's filter of the same name. */}
            <input type="checkbox" aria-label={`Show column ${c.header || c.id}`} checked={c.shown} disabled={c.shown && shownCount === 1} onChange={c.toggle} />
            <span aria-hidden>{c.header || c.id}</span>
          </label>
        ))}
      </fieldset>}
    </details>
  );
}
