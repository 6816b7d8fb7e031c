// GET /api/v1/overview contract. Pure zod: lib/analytics/overview.ts returns this type, the OpenAPI document shows it.
import { z } from "zod";
import { unpricedSummary } from "@/lib/pricing/schemas";
import { checkRange, dayString, rangeFields } from "./period";
import { conversionFields, displayCurrencyParam } from "@/lib/currency/display-schemas";

export const overviewQuery = z.object({ ...rangeFields, currency: displayCurrencyParam }).superRefine(checkRange);

const orgCost = z.string().optional().meta({ description: "With a display currency: the same cost in the organization currency (converted days and not)" });
const unconverted = z.string().optional().meta({ description: "With a display currency: the organization-currency cost of days with no usable rate, not in `cost`" });
const dayRange = z.strictObject({ from: dayString, to: dayString });
const totals = z.strictObject({ cost: z.string(), orgCost, unconverted, events: z.number().int(), activeAgents: z.number().int() });
const ranked = (id: z.ZodType<number | null>) => z.strictObject({ id, key: z.string(), name: z.string(), cost: z.string(), orgCost, events: z.number().int() });

export const forecastSchema = z.strictObject({
  month: z.string().meta({ example: "2026-11" }),
  monthToDate: z.string().meta({ description: "Spend of the month so far, today's partial day included." }),
  runRate: z.string().meta({ description: "Mean daily spend of the last `runRateDays` complete days." }),
  runRateDays: z.number().int().meta({ description: "Complete days the run rate averages: 7, fewer when history is shorter, 0 for a past month." }),
  daysRemaining: z.number().int().meta({ description: "Days of the month still to come, today included." }),
  forecast: z.string(),
});

export const moverSchema = z.strictObject({
  kind: z.enum(["agent", "department"]),
  key: z.string(),
  name: z.string(),
  cost: z.string(),
  previousCost: z.string(),
  change: z.string(),
  orgCost,
  orgPreviousCost: orgCost,
});

export const overviewResponse = z
  .strictObject({
    currency: z.string().meta({ description: "The currency of every cost except the forecast's: the display currency asked for, else the organization currency" }),
    orgCurrency: z.string().nullable().meta({ description: "With a display currency: the organization currency (of `forecast` and every `orgCost`); else null" }),
    conversion: z.strictObject(conversionFields).nullable().meta({ description: "How costs were converted into the display currency, each local day at its own rate; null in the organization currency" }),
    timeZone: z.string(),
    range: dayRange,
    previous: dayRange.meta({ description: "The period of the same length just before `range`." }),
    current: totals,
    prior: totals.meta({ description: "Totals of `previous`." }),
    topDepartments: z.array(ranked(z.number().int().nullable().meta({ description: "null: events without a department (key UNASSIGNED)." }))),
    topAgents: z.array(ranked(z.number().int())),
    daily: z.array(z.strictObject({ day: dayString, cost: z.string(), orgCost, unconverted, rateDate: dayString.nullable().optional().meta({ description: "With a display currency: the date of the rate this day was converted at; null: no usable rate" }), events: z.number().int() })).meta({ description: "Every day of `range`, zeros included." }),
    forecast: forecastSchema.meta({ description: "Current calendar month (organization time zone), independent of the selected range; always in the organization currency, like budgets." }),
    movers: z.array(moverSchema).meta({ description: "Largest cost changes vs the previous period, by absolute change." }),
    unpriced: unpricedSummary.meta({ description: "What the period's cost leaves out: events with tokens but no price." }),
  })
  .meta({ id: "Overview" });

export type OverviewResponse = z.infer<typeof overviewResponse>;
