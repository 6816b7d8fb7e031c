// Reading FOCUS 1.0–1.3 cells: the columns a version renamed, the literal NULL some exporters write, the date-time
// layouts real files use, and tags. Pure, so the mapping is tested without a database.
import { Decimal } from "@/lib/allocation/decimal";

export type FocusRecord = Record<string, string | undefined>;

/**
 * A column by its 1.3 name, falling back to the name older versions used: 1.3 replaced ProviderName with
 * ServiceProviderName and added HostProviderName (files from 1.0–1.2 carry only ProviderName, which then stands
 * for both).
 */
const FALLBACKS: Record<string, string[]> = {
  ServiceProviderName: ["ProviderName"],
  HostProviderName: ["ProviderName"],
};

/** The cell's text, or null for an empty cell, a missing column or the literal NULL (the FOCUS sample's null). */
export function cell(record: FocusRecord, column: string): string | null {
  for (const name of [column, ...(FALLBACKS[column] ?? [])]) {
    const value = record[name]?.trim();
    if (value !== undefined && value !== "" && value !== "NULL") return value;
  }
  return null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * FOCUS date-times are UTC. Accepted: RFC 3339 (`2024-09-01T00:00:00Z`), the space-separated form of the FinOps
 * sample (`2024-09-18 22:00:00`, read as UTC), a bare date, and the spec examples' `M/D/YY` (read as UTC midnight).
 */
export function parseDateTime(text: string): number | null {
  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone] = iso;
    let ms = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, Math.floor(Number(frac || "0") * 1000));
    if (zone && zone.toUpperCase() !== "Z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    return valid(ms, +mo!, +d!);
  }
  const us = US.exec(text);
  if (us) {
    const [, mo, d, y, h = "0", mi = "0", s = "0"] = us;
    const year = y!.length === 2 ? 2000 + Number(y) : Number(y);
    return valid(Date.UTC(year, +mo! - 1, +d!, +h, +mi, +s), +mo!, +d!);
  }
  return null;
}

/** Rejects rollovers such as 2024-02-31. */
function valid(ms: number, month: number, day: number): number | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return month >= 1 && month <= 12 && Math.abs(date.getUTCDate() - day) <= 1 ? ms : null;
}

export const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A decimal cell exactly (never a float), or null when empty; throws on text that is not a number. */
export function decimalCell(record: FocusRecord, column: string): Decimal | null {
  const text = cell(record, column);
  if (text === null) return null;
  if (!NUMBER.test(text)) throw new FocusCellError(column, `'${text.slice(0, 40)}' is not a number`);
  return new Decimal(text);
}

export class FocusCellError extends Error {
  constructor(readonly column: string, reason: string) {
    super(`${column}: ${reason}`);
  }
}

/** Tags: a JSON object in FOCUS; valueless tags are `true` in 1.3 and "" in some older exports. */
export function parseTags(text: string | null): Record<string, string> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FocusCellError("Tags", "not a JSON object");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new FocusCellError("Tags", "not a JSON object");
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) tags[key] = value === true ? "" : String(value);
  return tags;
}

/** The value a mapping rule names: a column (FOCUS or `x_`) or `tag:<key>` (a valueless tag gives its key). */
export function sourceValue(record: FocusRecord, tags: Record<string, string>, source: string): string | null {
  if (source.startsWith("tag:")) {
    const key = source.slice(4);
    if (!(key in tags)) return null;
    return tags[key] === "" ? key : tags[key]!;
  }
  return cell(record, source);
}
