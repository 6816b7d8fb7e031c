// Request and response schemas of the FX rate API (GET/PUT /api/v1/fx-rates, POST /api/v1/fx-rates/import), shared
// by the route handlers, the OpenAPI document and the admin page. No server-only: the browser bundles this file.
import { z } from "zod";
import { FX_FILE_FORMATS, isoDay, rateText } from "./files";
import { isActiveCurrency } from "./iso4217";

export const FX_SOURCES = ["manual", "csv", "ecb"] as const;
/** Rows per PUT; larger sets go through the file import. */
export const MAX_PUT_RATES = 5000;

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isActiveCurrency, "must be an active ISO 4217 currency code, e.g. USD")
  .meta({ description: "Active ISO 4217 code", example: "USD" });

export const day = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isoDay(v) !== null, "must be a date YYYY-MM-DD")
  .meta({ description: "Calendar day, YYYY-MM-DD", example: "2026-11-27" });

const rate = z
  .union([z.string(), z.number()], { error: "must be a decimal number such as \"1.0523\"" })
  .transform((value, ctx) => {
    const result = rateText(typeof value === "number" ? String(value) : value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: "custom", message: result.error });
    return z.NEVER;
  })
  .meta({ description: "Units of quote for 1 unit of base: a positive decimal, at most 15 integer and 15 decimal digits", example: "1.0523" });

export const fxRateInput = z
  .object({ base: currencyCode, quote: currencyCode, date: day, rate, source: z.enum(FX_SOURCES).default("manual") })
  .strict()
  .refine((r) => r.base !== r.quote, { path: ["quote"], message: "must differ from base" });

export const fxRatesPut = z
  .object({ rates: z.array(fxRateInput).min(1).max(MAX_PUT_RATES) })
  .strict()
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.rates.forEach((r, i) => {
      const key = `${r.base}/${r.quote}/${r.date}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["rates", i], message: `the same pair and date as rates.${seen.get(key)}` });
      else seen.set(key, i);
    });
  });

export const fxRateListQuery = z
  .object({
    base: currencyCode.optional(),
    quote: currencyCode.optional(),
    from: day.optional(),
    to: day.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** Opaque keyset cursor from the previous page's `nextCursor`. */
    cursor: z.string().regex(/^\d{4}-\d{2}-\d{2}~[A-Z]{3}~[A-Z]{3}$/, "must be a nextCursor from a previous page").optional(),
  })
  .strict();

export const fxImportQuery = z
  .object({
    format: z.enum(FX_FILE_FORMATS).meta({ description: "ecb-csv: eurofxref.csv / eurofxref-hist.csv; ecb-xml: eurofxref-daily.xml / eurofxref-hist*.xml; csv: base,quote,date,rate" }),
    mode: z.enum(["preview", "apply"]).default("preview"),
  })
  .strict();

export const fxRate = z
  .object({
    id: z.number().int(),
    base: z.string(),
    quote: z.string(),
    date: z.string(),
    rate: z.string().meta({ description: "Exact decimal text" }),
    source: z.enum(FX_SOURCES),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .strict();

export const fxRateListResponse = z
  .object({
    items: z.array(fxRate),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page" }),
  })
  .strict();

const change = z.object({ base: z.string(), quote: z.string(), date: z.string(), rate: z.string(), previous: z.string() }).strict();

export const fxUpsertResponse = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    /** Rates that replaced a different stored value (at most 100 listed). */
    changes: z.array(change),
    conversionRunId: z.number().int().nullable().meta({ description: "The recompute run (kind fx) converting the events these rates cover; null when nothing changed" }),
  })
  .strict();

export const fxImportResponse = z
  .object({
    mode: z.enum(["preview", "apply"]),
    format: z.enum(FX_FILE_FORMATS),
    rates: z.number().int().meta({ description: "Rates in the file" }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    currencies: z.array(z.string()),
    skippedCurrencies: z.array(z.string()).meta({ description: "ECB columns left out: no longer active ISO 4217 codes" }),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    changes: z.array(change),
    conversionRunId: z.number().int().nullable().meta({ description: "The recompute run (kind fx) converting the events these rates cover; null when nothing changed" }),
  })
  .strict();

export type FxRateInput = z.output<typeof fxRateInput>;
export type FxRateResponse = z.infer<typeof fxRate>;
export type FxUpsertResponse = z.infer<typeof fxUpsertResponse>;
export type FxImportResponse = z.infer<typeof fxImportResponse>;

export const fxPendingResponse = z
  .object({
    currency: z.string().meta({ description: "The organization (reporting) currency the events await a rate into" }),
    events: z.number().int().meta({ description: "All events awaiting a rate (in the caller's departments)" }),
    items: z
      .array(
        z
          .object({
            currency: z.string().meta({ example: "CHF" }),
            day: z.string().meta({ description: "The events' day in the organization time zone: a rate dated this day (or up to 7 days before) converts them" }),
            events: z.number().int(),
            amount: z.string().meta({ description: "Their amounts as sent, in `currency` (exact decimal text)" }),
          })
          .strict(),
      )
      .meta({ description: "Per currency and day, newest day first (at most 100)" }),
  })
  .strict();

export type FxPendingResponse = z.infer<typeof fxPendingResponse>;
