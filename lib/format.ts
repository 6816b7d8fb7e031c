// Display formatters shared by server (PDFs, messages) and client: the one place that says how money, counts,
// percentages, ROI, times and changes look. Amounts arrive as exact decimal strings; only display rounds.
// Every number is printed with thousands separators (en-US); CSV files keep plain machine-readable values.

// Constructing an Intl.NumberFormat costs ~50 µs and a dashboard table formats thousands of cells: keep one per option set.
const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = new Intl.NumberFormat("en-US", options)));
  return formatter;
}

export function formatMoney(amount: string | number, currency = "USD", maximumFractionDigits = 2, minimumFractionDigits = Math.min(2, maximumFractionDigits)): string {
  return numberFormat({ style: "currency", currency, maximumFractionDigits, minimumFractionDigits }).format(Number(amount));
}

export function formatNumber(value: number | string, maximumFractionDigits = 0): string {
  return numberFormat({ maximumFractionDigits }).format(Number(value));
}

export function formatCompact(value: number | string): string {
  return numberFormat({ notation: "compact", maximumFractionDigits: 1 }).format(Number(value));
}

export function formatPercent(ratio: number | null, digits = 1): string {
  return ratio === null || !Number.isFinite(ratio) ? "—" : `${numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(ratio * 100)}%`;
}

/** ROI ratios beyond this (10,000 %) say more about a near-zero cost than about the agent: shown as a bound. */
export const ROI_DISPLAY_BOUND = 100;

/**
 * ROI (a ratio, 1 = 100 %) for display: "> 10,000%" above the bound, "—" without cost; `title` gives the value and
 * cost behind it (for a tooltip), so the readable form never hides the figures.
 */
export function formatRoi(ratio: number | null, basis?: { value: string; cost: string; currency: string }): { text: string; title: string | undefined } {
  const title = basis ? `Value ${formatMoney(basis.value, basis.currency)} · cost ${formatMoney(basis.cost, basis.currency, 4)}${ratio === null ? "" : ` · ROI ${formatPercent(ratio)}`}` : undefined;
  if (ratio === null) return { text: "—", title: basis ? `No cost in this period: ${title}` : undefined };
  return { text: ratio > ROI_DISPLAY_BOUND ? `> ${formatPercent(ROI_DISPLAY_BOUND, 0)}` : formatPercent(ratio), title };
}

/**
 * Colour meaning of a change: "bad" / "good" / "neutral". `upIs` says what a rise means for this figure: spend up is
 * bad; counts of activity are neutral. Every stat card and table showing a change uses this.
 */
export type Tone = "good" | "bad" | "neutral";
export function changeTone(change: number | null, upIs: Tone = "neutral"): Tone {
  if (change === null || change === 0 || !Number.isFinite(change) || upIs === "neutral") return "neutral";
  const up = change > 0;
  return up === (upIs === "good") ? "good" : "bad";
}
export const TONE_CLASS: Record<Tone, string> = { good: "text-success", bad: "text-danger", neutral: "text-muted-foreground" };

/** An instant as local date and time in the organization's time zone ("2026-03-08 14:05:09"), zone named by the caller's label. */
export function formatDateTime(iso: string | Date, timeZone: string, seconds = true): string {
  const parts = dateTimeFormat(timeZone, seconds).formatToParts(typeof iso === "string" ? new Date(iso) : iso);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}${seconds ? `:${get("second")}` : ""}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: seconds ? "2-digit" : undefined, hourCycle: "h23" });
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** Change from previous to current as a ratio, or null when there is no previous value. */
export function change(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
