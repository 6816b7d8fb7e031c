// OpenAPI registration of the FX rate API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { fxImportQuery, fxImportResponse, fxPendingResponse, fxRateListQuery, fxRateListResponse, fxRatesPut, fxUpsertResponse, MAX_PUT_RATES } from "./schemas";

const rule =
  "A rate converts 1 unit of base into `rate` units of quote on its date. A conversion on a day uses the latest rate on or before that day, " +
  "at most 7 days old; direct, inverse, or crossed through EUR (the ECB's base) — README, \"Currencies and FX rates\".";

export const registerFxRatesApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json }) => {
  registry.registerPath({
    method: "get",
    path: "/api/v1/fx-rates",
    summary: "The dated FX rate table",
    description: `${rule} Newest date first, then base and quote; filter by base, quote and a date range (inclusive); page with \`cursor\`. Every role and read-scoped API keys.`,
    security: apiKeyOrSession,
    request: { query: fxRateListQuery },
    responses: { 200: json(fxRateListResponse, "A page of rates"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "put",
    path: "/api/v1/fx-rates",
    summary: "Set FX rates (upsert a batch, all or none)",
    description:
      `Up to ${MAX_PUT_RATES} rates; a pair and date already stored takes the new value (the audit log keeps the old one), the same value changes nothing. ` +
      "Any invalid rate answers 400 with a detail naming its field (e.g. `rates.3.quote`) and nothing is written. Audited. Admin role only (signed-in session).",
    request: { body: { required: true, content: { "application/json": { schema: fxRatesPut } } } },
    responses: { 200: json(fxUpsertResponse, "What changed"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/fx-rates/import",
    summary: "Import FX rates from a file (preview or apply)",
    description:
      "The European Central Bank's reference-rate files as downloaded (`eurofxref.csv`, `eurofxref-hist.csv` with format=ecb-csv; `eurofxref-daily.xml`, " +
      "`eurofxref-hist.xml` with format=ecb-xml; EUR is the base of every ECB rate; currencies no longer in ISO 4217 are skipped and listed), or a CSV " +
      "`base,quote,date,rate` (format=csv). Send the file as the body (text/csv, application/xml) or as the `file` field of multipart/form-data, at most 32 MB. " +
      "mode=preview (default) reports what applying would do and writes nothing; mode=apply writes all rates or none, audited. A bad cell answers 400 " +
      "with a detail per problem naming its line and column. Admin role only (signed-in session).",
    request: {
      query: fxImportQuery,
      body: {
        required: true,
        content: {
          "text/csv": { schema: z.string() },
          "application/xml": { schema: z.string() },
          "multipart/form-data": { schema: z.object({ file: z.string().meta({ format: "binary" }) }) },
        },
      },
    },
    responses: { 200: json(fxImportResponse, "The file's rates and what applying them does (or did)"), ...errors(400, 401, 403, 413, 415) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/fx-rates/pending",
    summary: "Events awaiting an FX rate",
    description:
      "Events whose cost was sent in another currency than the organization's, with no rate yet for their day (in the organization time zone, " +
      "or up to 7 days before). They are stored with the amount as sent and count as 0 in every cost figure until a rate arrives; writing the rate " +
      "(PUT or import) converts them. Per currency and day, in the caller's departments. Every role and read-scoped API keys.",
    security: apiKeyOrSession,
    responses: { 200: json(fxPendingResponse, "Pending events per currency and day"), ...errors(401, 403) },
  });
};
