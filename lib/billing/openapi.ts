// OpenAPI registration of the invoices and FOCUS export API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { meterCreate, meterList, meterUpdate, meterView } from "./meter-schemas";
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
  const meterPath = z.object({ key: z.string().meta({ description: "Meter key" }) });
  registry.registerPath({
    method: "get",
    path: "/api/v1/meters",
    summary: "List meters (usage events or outcomes)",
    description: "Any organization-wide role, or an API key with the read scope; department-scoped users get 403.",
    security: apiKeyOrSession,
    responses: { 200: json(meterList, "Meters by key"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/meters",
    summary: "Create a meter",
    description: `A meter over events (type and property filters) or over tasks, i.e. outcomes (task type, handled by agent or human, one agent, statuses): e.g. cases resolved by an agent without escalation = source tasks, taskType case_resolution, handledBy agent, taskStatuses [completed]. Audited. ${writeNote}`,
    request: { body: { required: true, content: { "application/json": { schema: meterCreate } } } },
    responses: { 201: json(meterView, "The meter"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/meters/{key}",
    summary: "Change a meter's name, unit or filters",
    description: `Checked as it will be stored (task filters only on task meters). Drafts re-rate at their next run; finalized invoices never change. Audited. ${writeNote}`,
    request: { params: meterPath, body: { required: true, content: { "application/json": { schema: meterUpdate } } } },
    responses: { 200: json(meterView, "The meter"), ...errors(400, 401, 403, 404) },
  });
};
