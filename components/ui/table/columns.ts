// Column definitions for the one table (components/ui/data-table.tsx): a column's type decides its formatting,
// alignment, sort order, CSV value and total, so that each is written once here rather than per page.
import Decimal from "decimal.js";
import type { CsvValue } from "@/lib/csv";
import { formatMoney, formatNumber, formatPercent } from "@/lib/format";

export type ColumnType = "text" | "number" | "money" | "percent" | "date" | "datetime";

/** A raw cell value: money as an exact decimal string, a percent as a ratio (0.125), dates as ISO strings. */
export type CellValue = string | number | null;

export type Column<T> = {
  id: string;
  header: string;
  type?: ColumnType;
  /** The raw value: sorted, searched, written to the CSV and formatted by type. Without it the column only renders `cell`. */
  value?: (row: T) => CellValue;
  /** What the cell shows when the formatted value is not enough (a link, a button). */
  cell?: (row: T) => React.ReactNode;
  /** The CSV value when it differs from `value`; `false` leaves the column out of the CSV. */
  csv?: ((row: T) => CsvValue) | false;
  /** Money: the ISO currency; number/percent/money: fraction digits shown. */
  currency?: string;
  digits?: number;
  /** A totals row cell: the sum of the shown rows, or a figure computed from them (e.g. a ratio of sums). */
  total?: "sum" | ((rows: T[]) => CellValue);
  /** Starts hidden (the column menu shows it). */
  hidden?: boolean;
};

export const isNumeric = (type: ColumnType | undefined) => type === "number" || type === "money" || type === "percent";

const DAY_OR_MONTH = /^\d{4}-\d{2}(-\d{2})?$/;
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", withTime ? { timeZone, dateStyle: "medium", timeStyle: "short" } : { timeZone, dateStyle: "medium" });
    dateFormats.set(key, format);
  }
  return format;
}

/** The text a value shows as, by column type. Calendar days ("2026-11-30") are already in the organization's zone. */
export function formatCell(column: Pick<Column<unknown>, "type" | "currency" | "digits">, value: CellValue, timeZone: string): string {
  if (value === null || value === "") return "—";
  switch (column.type ?? "text") {
    case "money":
      return formatMoney(value, column.currency ?? "USD", column.digits ?? 2);
    case "number":
      return formatNumber(value, column.digits ?? 0);
    case "percent":
      return formatPercent(Number(value), column.digits ?? 1);
    case "date":
    case "datetime":
      if (typeof value === "string" && DAY_OR_MONTH.test(value)) return value;
      return dateFormat(timeZone, column.type === "datetime").format(new Date(value));
    default:
      return String(value);
  }
}

/** Sort key: numbers (and money strings) as numbers, dates by instant, text as text; null stays null (sorted last). */
export function sortKey(type: ColumnType | undefined, value: CellValue): number | string | null {
  if (value === null || value === "") return null;
  if (isNumeric(type)) return Number(value);
  if (type === "date" || type === "datetime") return typeof value === "number" ? value : Date.parse(value);
  return String(value);
}

const collator = new Intl.Collator("en-US", { numeric: true, sensitivity: "base" });

export function compareKeys(a: number | string, b: number | string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/** The CSV value: money stays the exact decimal string; percents stay ratios; nothing is formatted. */
export function csvValue<T>(column: Column<T>, row: T): CsvValue {
  if (column.csv) return column.csv(row);
  return column.value ? column.value(row) : null;
}

/** The totals row cell of a column over the rows shown. Sums are exact (decimal), whatever the type. */
export function totalValue<T>(column: Column<T>, rows: T[]): CellValue {
  if (!column.total) return null;
  if (column.total !== "sum") return column.total(rows);
  if (!column.value) return null;
  let sum = new Decimal(0);
  for (const row of rows) {
    const v = column.value(row);
    if (v !== null && v !== "") sum = sum.plus(v);
  }
  return column.type === "money" ? sum.toFixed() : sum.toNumber();
}
