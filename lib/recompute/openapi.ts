// OpenAPI registration of the recompute API and event corrections (schemas from ./schemas and lib/corrections/schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { CorrectionRequestSchema, CorrectionResponseSchema } from "@/lib/corrections/schemas";
import { approvalSchema } from "@/lib/approvals/schemas";
import { previewBody, previewResponse, runSchema, startBody } from "./schemas";

export const registerRecomputeApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json, body }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/recompute/preview",
    summary: "Preview a recompute: events changed and cost delta per department and customer",
    description: "Admin role only. Changes nothing.",
    request: body(previewBody),
    responses: { 200: json(previewResponse, "What the run would change"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/recompute/runs",
    summary: "Start a recompute run",
    description:
      "Admin role only. Audited (who, why, range, predicate; the delta when done). Runs in the background in batches, one transaction each; rollups equal the raw events after every batch. Events in finalized invoice periods are carried as late adjustments on the next draft.",
    request: body(startBody),
    responses: {
      202: json(
        z.union([z.strictObject({ id: z.number().int() }), z.strictObject({ approval: approvalSchema })]),
        "Run created ({ id }; poll GET /api/v1/recompute/runs/{id}), or — with four-eyes approval on and a previewed cost change at or above the threshold — an approval request ({ approval }): the run starts when a different finance/admin user approves it (POST /api/v1/approvals/{id}/approve)",
      ),
      ...errors(400, 401, 403),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/recompute/runs",
    summary: "Recompute runs, newest first (50)",
    description: "Admin role only.",
    responses: { 200: json(z.strictObject({ items: z.array(runSchema) }), "Runs"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/recompute/runs/{id}",
    summary: "One recompute run: status, progress and delta",
    description: "Admin role only.",
    request: { params: z.object({ id: z.string().regex(/^\d+$/) }) },
    responses: { 200: json(runSchema, "The run"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/events/{source}/{id}/corrections",
    summary: "Reverse or correct a stored event",
    description: [
      "The stored event never changes. A reversal writes a new event negating its quantities, tokens and costs (`{id}#reversal`);",
      "a correction also writes the corrected event (`{id}#correction`, the original's fields with those given replaced, validated and priced like ingestion).",
      "Both link to the original and show in the event drill-down. One correction per event (correct `{id}#correction` to change it again).",
      "Idempotent per `idempotency_key`: the same request again returns the same result with `replayed: true` (200); the key reused with another body is a 409.",
      "An API key needs the `ingest` scope, may correct only events of its own source and within its policy (agents, departments, customers, finalized periods); an admin session may correct any event.",
      "In a finalized invoice period the invoice stays as it is and the next draft carries the difference.",
    ].join(" "),
    security: apiKeyOrSession,
    request: { params: z.object({ source: z.string(), id: z.string() }), ...body(CorrectionRequestSchema) },
    responses: {
      201: json(CorrectionResponseSchema, "Correction written"),
      200: json(CorrectionResponseSchema, "Replay of an applied correction; nothing changed"),
      ...errors(400, 401, 403, 404, 409),
    },
  });
};
