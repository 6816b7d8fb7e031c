// "Converted from USD at ECB rates of 2026-11-01…2026-11-30" under a figure shown in a display currency, and which
// days had no rate (their cost is left out, never converted at 0 or 1).
import type { UsageResponse } from "@/lib/analytics/schemas";
import { formatMoney } from "@/lib/format";

const SHOWN_DAYS = 5;
const SOURCE_LABEL: Record<string, string> = { ecb: "ECB", manual: "manual", csv: "imported" };

export function ConversionNote({ conversion, unconverted }: { conversion: NonNullable<UsageResponse["conversion"]>; unconverted: string | undefined }) {
  const { from, to, rateDates, missingDays, sources } = conversion;
  const more = missingDays.length - SHOWN_DAYS;
  return (
    <div className="space-y-2 text-sm">
      {rateDates && (
        <p role="note" data-testid="fx-conversion-note" className="text-muted-foreground">
          Converted from {from} at {sources.map((s) => SOURCE_LABEL[s] ?? s).join("/")} rates of {rateDates.first === rateDates.last ? rateDates.first : `${rateDates.first}…${rateDates.last}`}
          , each day at its own rate. Budgets stay in {from}.
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
