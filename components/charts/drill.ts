// Pure drill-down helpers (no React): which URL a click on a chart point, a group or a total leads to.
import { nextSearch } from "@/components/filters/url";
import { MAX_SERIES } from "@/lib/api/limits";
import { OTHER_KEY, type Bucket } from "./prepare";

/** URL parameters that narrow what is counted (the global filters); `property:<name>` filters too. */
export const FILTER_PARAMS = ["department", "agent", "model", "customer", "type", "taskType", "provider", "handledBy"] as const;

export const isFilterParam = (key: string) => (FILTER_PARAMS as readonly string[]).includes(key) || key.startsWith("property:");

const pad = (n: number) => String(n).padStart(2, "0");

/** The local days (inclusive) a chart bucket covers, from its local ISO start ("2026-03-07T00:00:00-05:00"). */
export function bucketRange(start: string, bucket: Bucket): { from: string; to: string } {
  const day = start.slice(0, 10);
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  if (bucket === "week") {
    const end = new Date(Date.UTC(y, m - 1, d + 6));
    return { from: day, to: `${end.getUTCFullYear()}-${pad(end.getUTCMonth() + 1)}-${pad(end.getUTCDate())}` };
  }
  if (bucket === "month") return { from: day, to: `${y}-${pad(m)}-${pad(new Date(Date.UTC(y, m, 0)).getUTCDate())}` };
  return { from: day, to: day };
}

/** The events explorer for the same filters and period as `search` (a page's query string), plus `extra`. */
export function eventsHref(search: string, extra: Record<string, string | null | undefined> = {}): string {
  const current = new URLSearchParams(search);
  const next = new URLSearchParams();
  for (const [key, value] of current) if (isFilterParam(key) || key === "from" || key === "to") next.set(key, value);
  for (const [key, value] of Object.entries(extra)) {
    if (value === null || value === undefined || value === "") next.delete(key);
    else next.set(key, value);
  }
  const s = next.toString();
  return s ? `/events?${s}` : "/events";
}

/**
 * Usage: where a click on a chart point leads (a query string for /usage). A group's segment filters to that group,
 * split by the next dimension; "Other" expands into its members; with no grouping the bucket becomes the period.
 */
export function chartDrillSearch(groupBy: string, point: { series: string; start: string }, granularity: Bucket, search: string): string {
  if (point.series === OTHER_KEY) return nextSearch(search, { top: String(MAX_SERIES) });
  if (groupBy === "none") return nextSearch(search, { ...bucketRange(point.start, granularity), granularity: granularity === "hour" ? "hour" : "day" });
  return nextSearch(search, { [groupBy]: point.series, groupBy: groupBy === "agent" ? "model" : "agent", top: null });
}
