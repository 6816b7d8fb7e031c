// "Converted from USD at ECB rates of 2026-11-01…2026-11-30" under a figure shown in a display currency, and which
// days had no rate (their cost is left out, never converted at 0 or 1).
import type { UsageResponse } from "@/lib/analytics/schemas";
import type { Column } from "@/components/ui/data-table";
import { formatMoney } from "@/lib/format";

const SHOWN_DAYS = 5;
const SOURCE_LABEL: Record<string, string> = { ecb: "ECB", manual: "manual", csv: "imported" };

type Conversion = Omit<NonNullable<UsageResponse["conversion"]>, "buckets">;

/** "2026-11-02…2026-11-30", one date, or "no rate". */
export const rateDatesText = (r: { first: string; last: string } | null) => (r ? (r.first === r.last ? r.first : `${r.first}…${r.last}`) : "no rate");

/**
 * With a display currency, the columns every cost table (and so its CSV) adds beside the converted cost: the
 * organization-currency amount and the rate dates the row was converted at (a row spans the range's days).
 */
export function conversionColumns<R>(conversion: Conversion | null, orgCost: (r: R) => string | undefined, rateDates: (r: R) => string = () => rateDatesText(conversion?.rateDates ?? null)): Column<R>[] {
  if (!conversion) return [];
  return [
    { id: "orgCost", header: `Cost (${conversion.from})`, type: "money", currency: conversion.from, value: (r) => orgCost(r) ?? null },
    { id: "rateDate", header: "Rate date", type: "text", value: rateDates },
  ];
}

/** `also`: what else stays in the organization currency on the page (e.g. "and the forecast"). */
export function ConversionNote({ conversion, unconverted, also }: { conversion: Conversion; unconverted: string | undefined; also?: string }) {
  const { from, to, rateDates, missingDays, sources } = conversion;
  const more = missingDays.length - SHOWN_DAYS;
  return (
    <div className="space-y-2 text-sm">
      {rateDates && (
        <p role="note" data-testid="fx-conversion-note" className="text-muted-foreground">
          Converted from {from} at {sources.map((s) => SOURCE_LABEL[s] ?? s).join("/")} rates of {rateDates.first === rateDates.last ? rateDates.first : `${rateDates.first}…${rateDates.last}`}
          , each day at its own rate. Budgets {also ? `${also} ` : ""}stay in {from}.
        </p>
      )}
      {missingDays.length > 0 && (
        <p role="status" data-testid="fx-missing-note" className="rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-warning">
          No {from}→{to} rate for {missingDays.slice(0, SHOWN_DAYS).join(", ")}
          {more > 0 ? ` and ${more} more ${more === 1 ? "day" : "days"}` : ""}: their cost ({formatMoney(unconverted ?? "0", from)}) is not converted and not included in the {to} figures.
        </p>
      )}
    </div>
  );
}
