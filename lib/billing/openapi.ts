// OpenAPI registration of the invoices and FOCUS export API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { taxRateCreate, taxRateList, taxRateUpdate, taxRateView } from "./tax-schemas";
import { adjustmentRequest, draftsRequest, draftsResponse, focusMetadataQuery, focusMetadataResponse, focusQuery, invoiceResponse, listQuery, listResponse, voidRequest } from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "Invoice id" }) });
const writeNote = "Finance and admin roles only (signed-in session).";

export const registerBillingApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/drafts",
    summary: "Generate draft invoices for a month",
    description: `Rates every customer with a plan for the month (organization time zone). Idempotent: drafts are regenerated (manual adjustments kept), finalized invoices never change. ${writeNote}`,
    request: { body: { required: true, content: { "application/json": { schema: draftsRequest } } } },
    responses: { 200: json(draftsResponse, "The month's invoices"), ...errors(400, 401, 403, 503) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/invoices",
    summary: "List invoices",
    security: apiKeyOrSession,
    request: { query: listQuery },
    responses: { 200: json(listResponse, "Invoices, newest period first"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/invoices/{id}",
    summary: "One invoice with its lines (JSON export)",
    security: apiKeyOrSession,
    request: { params: idPath },
    responses: { 200: json(invoiceResponse, "The invoice"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/{id}/adjustments",
    summary: "Add an adjustment (credit note, discount, extra charge) to a draft",
    description: `The amount is rounded half-even to the currency's minor unit; totals are recomputed. ${writeNote}`,
    request: { params: idPath, body: { required: true, content: { "application/json": { schema: adjustmentRequest } } } },
    responses: { 201: json(invoiceResponse, "The invoice with the new line"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/{id}/finalize",
    summary: "Finalize a draft: it becomes immutable and gets the next sequential number",
    description: writeNote,
    request: { params: idPath },
    responses: { 200: json(invoiceResponse, "The finalized invoice"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/{id}/void",
    summary: "Void a draft or finalized invoice, with a reason",
    description: writeNote,
    request: { params: idPath, body: { required: true, content: { "application/json": { schema: voidRequest } } } },
    responses: { 200: json(invoiceResponse, "The voided invoice"), ...errors(400, 401, 403, 404, 409) },
  });
  for (const [format, type] of [["pdf", "application/pdf"], ["csv", "text/csv"]] as const) {
    registry.registerPath({
      method: "get",
      path: `/api/v1/invoices/{id}/${format}`,
      summary: `The invoice as ${format.toUpperCase()}`,
      security: apiKeyOrSession,
      request: { params: idPath },
      responses: { 200: { description: "File download", content: { [type]: { schema: z.string() } } }, ...errors(400, 401, 403, 404) },
    });
  }
  registry.registerPath({
    method: "get",
    path: "/api/v1/tax-rates",
    summary: "Tax rates by jurisdiction (country, optional region) and tax category, with effective dates",
    description: "Any role, or an API key with the read scope. Rules: lib/billing/README.md (Taxes).",
    security: apiKeyOrSession,
    responses: { 200: json(taxRateList, "Tax rates"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/tax-rates",
    summary: "Add a tax rate",
    description: "Admin role only. Audited. A rate overlapping another of the same jurisdiction and category is refused (409).",
    request: { body: { required: true, content: { "application/json": { schema: taxRateCreate } } } },
    responses: { 201: json(taxRateView, "The new rate"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/tax-rates/{id}",
    summary: "Correct or end a tax rate",
    description: "Admin role only. Audited. Drafts pick the change up when regenerated; issued invoices keep their tax.",
    request: { params: z.object({ id: z.string().regex(/^\d+$/) }), body: { required: true, content: { "application/json": { schema: taxRateUpdate } } } },
    responses: { 200: json(taxRateView, "The changed rate"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/tax-rates/{id}",
    summary: "Delete a tax rate",
    description: "Admin role only. Audited.",
    request: { params: z.object({ id: z.string().regex(/^\d+$/) }) },
    responses: { 200: json(taxRateView, "The deleted rate"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/exports/focus",
    summary: "The month's AI cost in the FinOps FOCUS layout (CSV), with allocation columns for department chargeback",
    description: "FOCUS 1.3 by default (`version=1.2` for older consumers); the dataset's metadata is at /api/v1/exports/focus/metadata. Rules: lib/billing/README.md.",
    security: apiKeyOrSession,
    request: { query: focusQuery },
    responses: { 200: { description: "CSV download", content: { "text/csv": { schema: z.string() } } }, ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/exports/focus/metadata",
    summary: "FOCUS metadata of the export: data generator, FOCUS version, schema id and column definitions",
    security: apiKeyOrSession,
    request: { query: focusMetadataQuery },
    responses: { 200: json(focusMetadataResponse, "FOCUS metadata"), ...errors(400, 401, 403) },
  });
};
