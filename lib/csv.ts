// The one CSV writer for every CSV the product emits, on the server (invoices, FOCUS, showback, import error
// reports) and in the browser (dashboard table downloads) — so no `server-only` here.
// RFC 4180 quoting comes from csv-stringify (the sibling of csv-parse, which reads our imports): its sync build has
// no Node dependencies. By default it quotes a line break only when it equals the record delimiter, so a bare \n
// or \r inside a cell is matched explicitly.
import { stringify } from "csv-stringify/sync";

export type CsvValue = string | number | bigint | boolean | null | undefined;

/** A plain number (e.g. -12.5, 3e-7) is data in every spreadsheet, so it is left as it is. */
const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell's text, with a leading single quote when a spreadsheet would otherwise read it as a formula. */
export function neutralise(value: CsvValue): string {
  const text = value === null || value === undefined ? "" : String(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** CSV records (CRLF-terminated) without a header: for reports written page by page. */
export function csvRecords(rows: readonly (readonly CsvValue[])[]): string {
  if (rows.length === 0) return "";
  return stringify(rows.map((r) => r.map(neutralise)), { record_delimiter: "\r\n", quoted_match: /[\r\n]/ });
}

/** A whole CSV document: the header row, then one record per row. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return csvRecords([header, ...rows]);
}
