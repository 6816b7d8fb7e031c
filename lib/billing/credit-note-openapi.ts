// OpenAPI registration of the credit notes API (schemas from ./credit-note-schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { creditNoteListQuery, creditNoteListResponse, creditNoteRequest, creditNoteResponse } from "./credit-note-schemas";

const invoicePath = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "Invoice id" }) });
const notePath = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "Credit note id" }) });
const scopeNote = "Organisation-wide, like invoices: department-scoped users get 403.";

export const registerCreditNotesApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/invoices/{id}/credit-notes",
    summary: "Issue a credit note against a finalized invoice (full, per line, or an amount)",
    description:
      "Numbered CN-000001… in its own series (no gaps). Amounts are rounded half-even to the invoice currency's minor unit; a line is never credited beyond what remains of it, and the invoice's credit notes never exceed its total (409). Finance and admin roles only (signed-in session); audited.",
    request: { params: invoicePath, body: { required: true, content: { "application/json": { schema: creditNoteRequest } } } },
    responses: {
      201: json(creditNoteResponse, "The credit note"),
      202: json(z.object({ awaitingApproval: z.number().int().meta({ description: "The four-eyes approval request (GET /api/v1/approvals)" }) }).strict(), "Four-eyes approval requested: the amount is at or above the organization's threshold; issued once a second finance or admin user approves"),
      ...errors(400, 401, 403, 404, 409),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/invoices/{id}/credit-notes",
    summary: "An invoice's credit notes",
    description: scopeNote,
    security: apiKeyOrSession,
    request: { params: invoicePath },
    responses: { 200: json(creditNoteListResponse, "Credit notes, oldest first"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/credit-notes",
    summary: "List credit notes",
    description: scopeNote,
    security: apiKeyOrSession,
    request: { query: creditNoteListQuery },
    responses: { 200: json(creditNoteListResponse, "Credit notes in number order"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/credit-notes/{id}",
    summary: "One credit note with its lines",
    description: scopeNote,
    security: apiKeyOrSession,
    request: { params: notePath },
    responses: { 200: json(creditNoteResponse, "The credit note"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/credit-notes/{id}/pdf",
    summary: "The credit note as PDF",
    description: scopeNote,
    security: apiKeyOrSession,
    request: { params: notePath },
    responses: { 200: { description: "File download", content: { "application/pdf": { schema: z.string() } } }, ...errors(400, 401, 403, 404) },
  });
};
