// How an allocation's figures were put into a display currency (lib/allocation/display.ts): per day for an open month,
// at the last day's rate for a closed one, adjustments at the rate of the month they correct; what was not converted.
import { ConversionNote, rateDatesText } from "@/components/currency/conversion-note";
import type { AllocationConversion } from "@/lib/allocation/schemas";
import { formatMoney } from "@/lib/format";

/** How the figures were converted: the rule (per day, or a closed month at its last day's rate), the rate dates, what was not. */
export function AllocationConversionNote({ conversion }: { conversion: AllocationConversion }) {
  const c = conversion;
  return (
    <div className="space-y-2 text-sm">
      {c.rule === "daily" ? (
        <ConversionNote conversion={c} unconverted={c.unconverted} also="and forecasts" />
      ) : (
        <p role="note" data-testid="fx-conversion-note" className="text-muted-foreground">
          Closed month: its frozen {c.from} figures converted at the rate of its last day, {rateDatesText(c.rateDates)}. Budgets and forecasts stay in {c.from}.
        </p>
      )}
      {c.adjustments.length > 0 && (
        <p className="text-muted-foreground" data-testid="fx-adjustments-note">
          Adjustments converted at the last-day rate of the month they correct: {c.adjustments.map((a) => `${a.adjusts} at ${a.rateDate ?? "no rate"}`).join(", ")}.
        </p>
      )}
      {c.rule === "daily" && c.missingDays.length === 0 && c.unconverted !== "0.00" && (
        <p role="status" className="text-warning">{formatMoney(c.unconverted, c.from)} of adjustments has no rate and is not in the {c.to} figures.</p>
      )}
    </div>
  );
}

