// Pure chart preparation (no React): series → Recharts rows, labels, colours. Unit-tested; components only render.

export type Point = { start: string; events: number; quantity: number; cost: string };
export type Series = { key: string; label: string; points: Point[] };
export type Metric = "cost" | "quantity" | "events";
export type Bucket = "hour" | "day" | "week" | "month";

export const OTHER_KEY = "__other__";
export const PREVIOUS_KEY = "__previous";

const PALETTE = ["#4f46e5", "#0891b2", "#16a34a", "#ca8a04", "#dc2626", "#9333ea", "#db2777", "#0d9488", "#ea580c", "#2563eb"];

/** Stable colours by position; "Other" is always grey. */
export function colorFor(key: string, index: number): string {
  return key === OTHER_KEY ? "#94a3b8" : PALETTE[index % PALETTE.length]!;
}

export function metricValue(p: Pick<Point, Metric>, metric: Metric): number {
  return metric === "cost" ? Number(p.cost) : p[metric];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Axis label from a bucket's local ISO start (its wall-clock part is already in the organization's zone). */
export function bucketLabel(start: string, bucket: Bucket): string {
  const month = MONTHS[Number(start.slice(5, 7)) - 1];
  const day = Number(start.slice(8, 10));
  if (bucket === "month") return `${month} ${start.slice(0, 4)}`;
  if (bucket === "week") return `Wk ${month} ${day}`;
  if (bucket === "hour") return `${month} ${day} ${start.slice(11, 16)}${start.slice(19) === "" ? "" : ` (${start.slice(19)})`}`;
  return `${month} ${day}`;
}

export type ChartRow = { start: string; label: string } & Record<string, number | string>;

/**
 * One row per bucket with a numeric column per series key (stacked), plus the previous period's total at the same
 * position (the previous range has the same number of days, so bucket i lines up with bucket i).
 */
export function stackedRows(series: Series[], metric: Metric, bucket: Bucket, previous?: Pick<Point, Metric | "start">[]): ChartRow[] {
  const first = series[0]?.points ?? previous ?? [];
  return first.map((p, i) => {
    const row: ChartRow = { start: p.start, label: bucketLabel(p.start, bucket) };
    for (const s of series) row[s.key] = metricValue(s.points[i] ?? { cost: "0", quantity: 0, events: 0 }, metric);
    if (previous?.[i]) row[PREVIOUS_KEY] = metricValue(previous[i]!, metric);
    return row;
  });
}

/** Relative change, or null when the previous value is zero (no meaningful ratio). */
export function relativeChange(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

/** Agent vs human task counts per bucket, for a stacked bar chart. */
export function taskRows(series: { start: string; agentTasks: number; humanTasks: number }[], bucket: Bucket): ChartRow[] {
  return series.map((p) => ({ start: p.start, label: bucketLabel(p.start, bucket), agent: p.agentTasks, human: p.humanTasks }));
}
