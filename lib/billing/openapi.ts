// OpenAPI registration of the invoices and FOCUS export API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { meterCreate, meterList, meterUpdate, meterView } from "./meter-schemas";
import { customerLink, customerLinkCreate, customerLinkCreated, customerLinkList } from "./customer-link-schemas";
import { simulationQuery, simulationRequest, simulationResponse } from "./simulation-schemas";
import { adjustmentRequest, bulkFinalizeRequest, bulkFinalizeResponse, bulkSendRequest, bulkSendResponse, sendRecord, sendsResponse, draftsRequest, draftsResponse, focusMetadataQuery, focusMetadataResponse, focusQuery, invoiceResponse, listQuery, listResponse, voidRequest } from "./schemas";
import { chargeUpdate, rateCardCreate, rateCardList, rateCardUpdate, rateCardView } from "./rate-card-schemas";
import { taxRateCreate, taxRateList, taxRateUpdate, taxRateView } from "./tax-schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "Invoice id" }) });
const writeNote = "Finance and admin roles only (signed-in session).";

export const registerBillingApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json, body }) => {
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
    summary: "Search, filter, sort and page invoices, with per-currency totals of the filtered set",
    security: apiKeyOrSession,
    request: { query: listQuery },
    responses: { 200: json(listResponse, "One page of invoices, the count and the totals per currency"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/bulk-finalize",
    summary: "Finalize several drafts in order (sequential numbers); dryRun answers with the confirmation summary",
    description: `Select with \`ids\` or with \`period\` + \`filters\` (every draft of the period that matches). Each draft is finalized in its own transaction; one that cannot be (missing FX rate, not a draft) is reported in \`failed\` with the reason and the rest go on. With four-eyes approval on, drafts at or above the threshold get an approval request instead (\`needsApproval\`). Audited. ${writeNote}`,
    request: body(bulkFinalizeRequest),
    responses: { 200: json(bulkFinalizeResponse, "The summary (dry run) or the result"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/{id}/send",
    summary: "Email a finalized invoice with its PDF to the customer's billing email",
    description: `Through the server's SMTP settings (SMTP_*; 503 without them). 409 when the invoice is not finalized or the customer has no billing email (nothing logged); a refusal by the mail server is logged as a failed send. Audited. ${writeNote}`,
    request: { params: idPath },
    responses: { 200: json(sendRecord, "The send, as logged (status sent or failed)"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/bulk-send",
    summary: "Email each selected finalized invoice with its PDF (one result per invoice)",
    description: writeNote,
    request: body(bulkSendRequest),
    responses: { 200: json(bulkSendResponse, "One result per invoice"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/invoices/{id}/sends",
    summary: "The invoice's sent log, newest first",
    security: apiKeyOrSession,
    request: { params: idPath },
    responses: { 200: json(sendsResponse, "Sends"), ...errors(400, 401, 403, 404) },
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
    description: `With four-eyes approval on and a total at or above the threshold (valued in the organization currency), the draft is not finalized: an approval request is stored (202, \`awaitingApproval\`) and a different finance/admin user approves it. ${writeNote}`,
    request: { params: idPath },
    responses: { 200: json(invoiceResponse, "The finalized invoice"), 202: json(invoiceResponse, "Still a draft, awaiting approval"), ...errors(400, 401, 403, 404, 409) },
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
    method: "post",
    path: "/api/v1/pricing/simulations",
    summary: "Pricing simulation: a past month's actual usage re-rated under a candidate rate card",
    description: `The candidate is a price plan version or changes to each customer's current plan. Rated by draft generation's own code; nothing is written. Current = the period's invoice when there is one, else the current plan rated now. CSV with \`?format=csv\` or \`Accept: text/csv\`. ${writeNote}`,
    request: { query: simulationQuery, body: { required: true, content: { "application/json": { schema: simulationRequest } } } },
    responses: {
      200: { description: "Per-customer current vs simulated totals, biggest movers first", content: { "application/json": { schema: simulationResponse }, "text/csv": { schema: z.string() } } },
      ...errors(400, 401, 403),
    },
  });
  const customerPath = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "Customer id" }) });
  const linkNote = "Finance and admin roles only (signed-in session). The customer opens /c/<token>: its finalized invoices (PDF), and its usage this month so far; an unknown, expired or revoked token is a 404.";
  registry.registerPath({
    method: "get",
    path: "/api/v1/customers/{id}/links",
    summary: "The customer's read-only view links (tokens are never shown again)",
    description: linkNote,
    request: { params: customerPath },
    responses: { 200: json(customerLinkList, "Links, newest first"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/customers/{id}/links",
    summary: "Create a read-only view link for a customer (expires within 90 days; audited)",
    description: `The token is 256 random bits, stored hashed and shown only in this response. ${linkNote}`,
    request: { params: customerPath, body: { required: true, content: { "application/json": { schema: customerLinkCreate } } } },
    responses: { 201: json(customerLinkCreated, "The link with its token"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/customers/{id}/links/{linkId}",
    summary: "Revoke a customer view link (it stops working at once; audited)",
    description: linkNote,
    request: { params: customerPath.extend({ linkId: z.string().regex(/^\d+$/) }) },
    responses: { 200: json(customerLink, "The revoked link"), ...errors(400, 401, 403, 404) },
  });
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
  const cardPath = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "Rate card version (price plan) id" }) });
  const frozen = "A version that priced a finalized invoice cannot change (409): create a new version, which prices periods starting at or after its effectiveFrom. Drafts re-rate at their next run; finalized invoices never change. Audited.";
  registry.registerPath({
    method: "get",
    path: "/api/v1/rate-cards",
    summary: "List rate card versions with their charges",
    description: "Each version lists the finalized invoices it priced (`lockedBy`). Any organization-wide role, or an API key with the read scope; department-scoped users get 403.",
    security: apiKeyOrSession,
    responses: { 200: json(rateCardList, "Versions by key and version"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/rate-cards",
    summary: "Create a rate card's next version (version 1 for a new key) with its charges",
    description: `Each charge names a meter and its model's price fields (others must be empty), tiers ending open-ended, an optional monthly floor and cap, a success-rate guarantee (task meters only) and a tax category. effectiveFrom must be after the start of every period the card already finalized. Errors name the field, e.g. \`charges.0.unitPrice\`. Audited. ${writeNote}`,
    request: body(rateCardCreate),
    responses: { 201: json(rateCardView, "The version"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/rate-cards/{id}",
    summary: "Change a version's name, minimum spend, tax-inclusive pricing or start",
    description: `${frozen} ${writeNote}`,
    request: { params: cardPath, ...body(rateCardUpdate) },
    responses: { 200: json(rateCardView, "The version"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/rate-cards/{id}/charges/{chargeId}",
    summary: "Change one charge of a version (model and prices, tiers, floor and cap, guarantee, tax category)",
    description: `Checked merged with the stored charge, as it will be stored. ${frozen} ${writeNote}`,
    request: { params: cardPath.extend({ chargeId: z.string().regex(/^\d+$/) }), ...body(chargeUpdate) },
    responses: { 200: json(rateCardView, "The version"), ...errors(400, 401, 403, 404, 409) },
  });
};
