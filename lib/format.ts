// Display formatters shared by server and client. Amounts arrive as exact decimal strings; only display rounds.

// Constructing an Intl.NumberFormat costs ~50 µs and a dashboard table formats thousands of cells: keep one per option set.
const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = new Intl.NumberFormat("en-US", options)));
  return formatter;
}

export function formatMoney(amount: string | number, currency = "USD", maximumFractionDigits = 2): string {
  return numberFormat({ style: "currency", currency, maximumFractionDigits, minimumFractionDigits: Math.min(2, maximumFractionDigits) }).format(Number(amount));
}

export function formatNumber(value: number | string, maximumFractionDigits = 0): string {
  return numberFormat({ maximumFractionDigits }).format(Number(value));
}

export function formatCompact(value: number | string): string {
  return numberFormat({ notation: "compact", maximumFractionDigits: 1 }).format(Number(value));
}

export function formatPercent(ratio: number | null, digits = 1): string {
  return ratio === null || !Number.isFinite(ratio) ? "—" : `${(ratio * 100).toFixed(digits)}%`;
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
