// Display formatters shared by server and client. Amounts arrive as exact decimal strings; only display rounds.

export function formatMoney(amount: string | number, currency = "USD", maximumFractionDigits = 2): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, maximumFractionDigits, minimumFractionDigits: Math.min(2, maximumFractionDigits) }).format(Number(amount));
}

export function formatNumber(value: number | string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits }).format(Number(value));
}

export function formatCompact(value: number | string): string {
  return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(Number(value));
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
