// The FX statement an invoice carries (PDF and page): no server imports, the browser bundles it.
import type { InvoiceFx } from "./schemas";

/** The invoice's FX statement: the rule and each rate used (and any still missing). */
export function fxNote(fx: InvoiceFx): string {
  const rule = fx.rule === "event_day" ? "each event's day's rate" : "the rate of the period's last day";
  const rates = fx.rates.map((r) => `1 ${r.from} = ${r.rate} ${r.to} (${r.method} rate dated ${r.date}${r.day !== r.date ? ` for ${r.day}` : ""})`);
  const missing = fx.missing.map((m) => `no rate ${m.from}→${m.to} for ${m.day}`);
  return [`Amounts in other currencies are converted at ${rule}.`, ...rates, ...missing].join("\n");
}
