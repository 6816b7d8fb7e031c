// Pure pieces of the pull: the mapping check against a describe, the incremental SOQL, Salesforce date parsing.
import type { DescribeField } from "./client";
import type { CustomObjectSettings } from "./schemas";

/** Throws naming every mapped field the object does not have. */
export function checkMapping(settings: CustomObjectSettings, fields: DescribeField[]): void {
  const names = new Set(fields.map((f) => f.name.toLowerCase()));
  const wanted: [string, string][] = [["watermark", settings.watermarkField], ...Object.entries(settings.mapping).filter((e): e is [string, string] => typeof e[1] === "string")];
  const missing = wanted.filter(([, field]) => !names.has(field.toLowerCase()));
  if (missing.length) {
    throw new Error(`Mapped field${missing.length > 1 ? "s" : ""} not found on ${settings.object}: ${missing.map(([role, field]) => `${field} (${role})`).join(", ")}`);
  }
}

/** SOQL dateTime literal (unquoted, UTC). */
export const soqlDateTime = (d: Date) => d.toISOString();

export function buildQuery(settings: CustomObjectSettings, since: Date): string {
  const fields = [...new Set(["Id", settings.watermarkField, ...Object.values(settings.mapping).filter((v): v is string => typeof v === "string")])];
  const wm = settings.watermarkField;
  return `SELECT ${fields.join(", ")} FROM ${settings.object} WHERE ${wm} > ${soqlDateTime(since)} ORDER BY ${wm} ASC`;
}

/** Salesforce sends "+0000" offsets and plain dates; the event contract wants RFC 3339. */
export function toTimestamp(value: unknown): string | null {
  if (typeof value !== "string" || !value) return null;
  const normalized = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const t = Date.parse(normalized);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

