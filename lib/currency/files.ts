// Parsers of FX rate files (pure): the ECB's euro reference rates as CSV (eurofxref.csv, eurofxref-hist.csv) and
// XML (eurofxref-daily.xml, eurofxref-hist*.xml), and a plain CSV `base,quote,date,rate`. Format of the ECB files:
// https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html
// (samples in tests/fixtures/ecb/). Every ECB rate is the quote-currency amount for 1 EUR.
// Problems come back as details naming the line and column; nothing is thrown for bad data.
import { parse } from "csv-parse/sync";
import { toDecimalText } from "@/lib/decimal-input";
import { isActiveCurrency } from "./iso4217";

export const FX_FILE_FORMATS = ["ecb-csv", "ecb-xml", "csv"] as const;
export type FxFileFormat = (typeof FX_FILE_FORMATS)[number];

/** fx_rates.rate is numeric(30, 15). */
export const RATE_INT_DIGITS = 15;
export const RATE_FRAC_DIGITS = 15;

export type ParsedRate = { base: string; quote: string; date: string; rate: string };
export type FileProblem = { path: string; message: string };
export type ParsedFile = {
  rates: ParsedRate[];
  problems: FileProblem[];
  /** ECB columns left out: currencies that are no longer active ISO 4217 codes (CYP, EEK, HRK, …). */
  skippedCurrencies: string[];
};

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** A real calendar day as YYYY-MM-DD, or null. */
export function isoDay(text: string): string | null {
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const spelled = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(text); // the daily CSV: "27 November 2026"
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (spelled) [y, m, d] = [Number(spelled[3]), MONTHS.indexOf(spelled[2]!.toLowerCase()) + 1, Number(spelled[1])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** A positive rate that fits the column, as normalised decimal text; or the problem. */
export function rateText(text: string): { ok: true; value: string } | { ok: false; error: string } {
  const result = toDecimalText(text.trim(), RATE_INT_DIGITS, RATE_FRAC_DIGITS);
  if (result.ok && !/[1-9]/.test(result.value)) return { ok: false, error: "must be greater than 0" };
  return result;
}

function csvRecords(text: string, problems: FileProblem[]): string[][] {
  try {
    return parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (error) {
    problems.push({ path: "file", message: (error as Error).message.slice(0, 200) });
    return [];
  }
}

/** Any problem voids the whole file (all or nothing); a pair given twice for one day is a problem. */
function result(rates: ParsedRate[], problems: FileProblem[], skipped: Set<string> = new Set()): ParsedFile {
  const seen = new Set<string>();
  for (const r of rates) {
    const key = `${r.base}/${r.quote} ${r.date}`;
    if (seen.has(key)) problems.push({ path: key, message: "appears twice in the file" });
    seen.add(key);
  }
  return { rates: problems.length ? [] : rates, problems: problems.slice(0, 100), skippedCurrencies: [...skipped].sort() };
}

/** The ECB CSV, daily or history: `Date, USD, JPY, …,` then a row per day; N/A cells have no rate. */
export function parseEcbCsv(text: string): ParsedFile {
  const problems: FileProblem[] = [];
  const records = csvRecords(text, problems);
  const [header, ...rows] = records;
  if (!header || header[0]?.toLowerCase() !== "date") return result([], [{ path: "header", message: "expected the ECB layout: Date, USD, JPY, …" }]);
  const columns = header.map((h, i) => (i === 0 || h === "" ? null : h.toUpperCase()));
  const skipped = new Set(columns.filter((c): c is string => c !== null && !isActiveCurrency(c)));
  for (const c of columns) if (c !== null && !/^[A-Z]{3}$/.test(c)) problems.push({ path: "header", message: `${c} is not a currency code` });
  const rates: ParsedRate[] = [];
  rows.forEach((row, index) => {
    const line = index + 2;
    const date = isoDay(row[0] ?? "");
    if (!date) {
      problems.push({ path: `line ${line}.Date`, message: `${JSON.stringify(row[0] ?? "")} is not a date` });
      return;
    }
    row.forEach((cell, i) => {
      const quote = columns[i];
      if (!quote || skipped.has(quote) || cell === "" || cell.toUpperCase() === "N/A") return;
      const rate = rateText(cell);
      if (rate.ok) rates.push({ base: "EUR", quote, date, rate: rate.value });
      else problems.push({ path: `line ${line}.${quote}`, message: `${JSON.stringify(cell)} ${rate.error}` });
    });
  });
  if (!problems.length && !rates.length) problems.push({ path: "file", message: "has no rates" });
  return result(rates, problems, skipped);
}

// The ECB XML is machine-written and flat: <Cube time='…'> holding <Cube currency='…' rate='…'/>. Read with one
// scan of its Cube tags (attributes in either quote style) rather than a new XML parser dependency.
const CUBE = /<Cube\b([^>]*)>/g;
const ATTR = /(\w+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g;

/** The ECB XML, daily or history. */
export function parseEcbXml(text: string): ParsedFile {
  const problems: FileProblem[] = [];
  if (!/<gesmes:Envelope\b/.test(text) || !/<Cube\b/.test(text)) {
    return result([], [{ path: "file", message: "expected the ECB layout: gesmes:Envelope with Cube time=… and Cube currency=… rate=…" }]);
  }
  const rates: ParsedRate[] = [];
  const skipped = new Set<string>();
  let date: string | null = null;
  for (const match of text.matchAll(CUBE)) {
    const line = text.slice(0, match.index).split("\n").length;
    const attrs = Object.fromEntries([...match[1]!.matchAll(ATTR)].map((a) => [a[1], a[2] ?? a[3] ?? ""]));
    if (attrs.time !== undefined) {
      date = isoDay(attrs.time);
      if (!date) problems.push({ path: `line ${line}.time`, message: `${JSON.stringify(attrs.time)} is not a date` });
    } else if (attrs.currency !== undefined) {
      const quote = attrs.currency.toUpperCase();
      if (!date) {
        problems.push({ path: `line ${line}.currency`, message: "a rate outside a Cube time=… element" });
        continue;
      }
      if (!/^[A-Z]{3}$/.test(quote)) problems.push({ path: `line ${line}.currency`, message: `${JSON.stringify(attrs.currency)} is not a currency code` });
      else if (!isActiveCurrency(quote)) skipped.add(quote);
      else {
        const rate = rateText(attrs.rate ?? "");
        if (rate.ok) rates.push({ base: "EUR", quote, date, rate: rate.value });
        else problems.push({ path: `line ${line}.${quote}`, message: `${JSON.stringify(attrs.rate ?? "")} ${rate.error}` });
      }
    }
  }
  if (!problems.length && !rates.length) problems.push({ path: "file", message: "has no rates" });
  return result(rates, problems, skipped);
}

/** A plain CSV with the header base,quote,date,rate (any column order): 1 base = rate quote on date. */
export function parsePlainCsv(text: string): ParsedFile {
  const problems: FileProblem[] = [];
  const [header, ...rows] = csvRecords(text, problems);
  const names = (header ?? []).map((h) => h.toLowerCase());
  const index = Object.fromEntries(["base", "quote", "date", "rate"].map((c) => [c, names.indexOf(c)]));
  const missing = Object.entries(index).filter(([, i]) => i < 0).map(([c]) => c);
  if (missing.length) return result([], [...problems, ...missing.map((c) => ({ path: "header", message: `needs a column '${c}' (header: base,quote,date,rate)` }))]);
  const rates: ParsedRate[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const cell = (c: string) => row[index[c]!] ?? "";
    const base = cell("base").toUpperCase();
    const quote = cell("quote").toUpperCase();
    const date = isoDay(cell("date"));
    const rate = rateText(cell("rate"));
    const before = problems.length;
    if (!isActiveCurrency(base)) problems.push({ path: `line ${line}.base`, message: `${JSON.stringify(cell("base"))} is not an active ISO 4217 currency` });
    if (!isActiveCurrency(quote)) problems.push({ path: `line ${line}.quote`, message: `${JSON.stringify(cell("quote"))} is not an active ISO 4217 currency` });
    else if (quote === base) problems.push({ path: `line ${line}.quote`, message: "must differ from base" });
    if (!date) problems.push({ path: `line ${line}.date`, message: `${JSON.stringify(cell("date"))} is not a date (YYYY-MM-DD)` });
    if (!rate.ok) problems.push({ path: `line ${line}.rate`, message: `${JSON.stringify(cell("rate"))} ${rate.error}` });
    if (problems.length === before && date && rate.ok) rates.push({ base, quote, date, rate: rate.value });
  });
  if (!problems.length && !rates.length) problems.push({ path: "file", message: "has no rows under the header base,quote,date,rate" });
  return result(rates, problems);
}

export function parseFxFile(format: FxFileFormat, text: string): ParsedFile {
  if (format === "ecb-csv") return parseEcbCsv(text);
  if (format === "ecb-xml") return parseEcbXml(text);
  return parsePlainCsv(text);
}
