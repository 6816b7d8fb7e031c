// The display-currency parts of response and query schemas (lib/currency/display.ts), shared by Usage, Overview, the
// agent page and Allocation. Kept apart from lib/analytics/schemas.ts so client components can import it.
import { z } from "zod";
import { dayString } from "@/lib/analytics/period";

/** The `currency` query parameter of every dashboard read that can show a display currency. */
export const displayCurrencyParam = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 code")
  .optional()
  .meta({ description: "Display currency (default: the organization currency; any ISO code with stored FX rates). Each local day is converted at that day's rate (7-day rule); days without a rate are left out of cost and listed" });

export const rateDates = z.strictObject({ first: dayString, last: dayString }).nullable();
/** How a response's costs were converted into a display currency (lib/currency/display.ts conversionOf); shared by Usage, Overview and the agent page. */
export const conversionFields = {
  from: z.string().meta({ description: "The organization currency" }),
  to: z.string(),
  sources: z.array(z.string()).meta({ description: "Sources of the stored rates used (ecb, manual, csv)" }),
  rateDates: rateDates.meta({ description: "Oldest and newest rate date used for the current range; null when no day has a rate" }),
  missingDays: z.array(dayString).meta({ description: "Local days of the current range with no usable rate: their cost is in `unconverted`, never converted at 0 or 1" }),
  rates: z
    .array(z.strictObject({ day: dayString, date: dayString, method: z.enum(["identity", "direct", "inverse", "cross"]), rate: z.string(), sources: z.array(z.string()) }))
    .meta({ description: "The rate of each local day with one, current and previous range: 1 organization currency = rate display currency" }),
};
