// OpenAPI registration of the standard ingestion formats: CloudEvents, OTLP traces and file import.
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { IngestResponseSchema } from "@/lib/ingest/schemas";
import { ImportJobSchema, ImportQuerySchema } from "./import-schemas";


export const registerFormatsApi: OpenApiResource = (registry, { errors, apiKey, json }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/cloudevents",
    summary: "Ingest CloudEvents 1.0 (structured, batched or binary mode)",
    description:
      "`application/cloudevents+json` (one event), `application/cloudevents-batch+json` (an array, at most 10,000), or binary mode " +
      "(`ce-*` headers with JSON data). `id` is the idempotency key, `time` the timestamp, `type` the event type, `subject` the agent; " +
      "`data` carries the other usage-event fields. Same validation, idempotency and rollups as POST /api/v1/events (mapping: docs/formats.md).",
    security: apiKey,
    request: { body: { required: true, content: { "application/cloudevents-batch+json": { schema: z.array(z.record(z.string(), z.unknown())) } } } },
    responses: { 200: json(IngestResponseSchema, "Accepted, duplicate and rejected events"), ...errors(400, 401, 403, 413, 415, 429, 503) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/otlp/v1/traces",
    summary: "Ingest OpenTelemetry GenAI spans (OTLP/HTTP, JSON or protobuf)",
    description:
      "An OTLP `ExportTraceServiceRequest` as `application/json` or `application/x-protobuf` (optionally gzip). Spans with GenAI " +
      "semantic-convention attributes become usage events (span id = idempotency key); other spans only link spans to their agent. " +
      "Within a trace usage counts once (inference leaves; an ancestor's aggregated gen_ai.usage.* does not add) and is attributed to " +
      "the nearest invoke_agent ancestor, whatever order and requests the spans arrive in (docs/formats.md). Invalid GenAI spans " +
      "are reported in the standard `partialSuccess`.",
    security: apiKey,
    responses: {
      200: json(z.object({ partialSuccess: z.object({ rejectedSpans: z.number().optional(), errorMessage: z.string().optional() }).optional() }), "Export result"),
      ...errors(400, 401, 403, 413, 415, 429, 503),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/imports",
    summary: "Import a CSV or NDJSON file of usage events (streamed)",
    description: "Body `text/csv` or `application/x-ndjson`; `mapping` maps event fields to CSV columns. An API key with the `ingest` scope, or an admin session.",
    security: apiKey,
    request: { query: ImportQuerySchema },
    responses: { 200: json(ImportJobSchema, "The import: rows read, accepted, duplicates, rejected"), ...errors(400, 401, 403, 415, 429, 503) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/imports",
    summary: "Recent file imports, newest first (at most 50)",
    description: "Admin role only (session).",
    responses: { 200: json(z.strictObject({ imports: z.array(ImportJobSchema) }), "Imports"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/imports/{id}/errors",
    summary: "Per-row error report of an import (CSV)",
    request: { params: z.object({ id: z.string().regex(/^\d+$/) }) },
    responses: { 200: { description: "CSV: row, id, errors", content: { "text/csv": { schema: z.string() } } }, ...errors(401, 403, 404) },
  });
};
