// OpenAPI registration of the standard ingestion formats: CloudEvents, OTLP traces and file import.
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { IngestResponseSchema } from "@/lib/ingest/schemas";
import { FocusPreviewRequestSchema, FocusPreviewSchema } from "@/lib/focus-import/schemas";
import { FocusSettingsSchema } from "@/lib/focus-import/settings-schema";
import { ImportJobSchema, ImportQuerySchema } from "./import-schemas";

const OtlpStatusSchema = z
  .object({ code: z.number().int().meta({ description: "gRPC code closest to the HTTP status" }), message: z.string() })
  .meta({ id: "OtlpStatus", description: "google.rpc.Status, in the request's encoding (binary protobuf or its JSON mapping)." });

/** An OTLP/HTTP request body in both encodings. */
function otlpBody(message: string) {
  return {
    "application/json": { schema: z.record(z.string(), z.unknown()).meta({ description: `OTLP/JSON ${message}` }) },
    "application/x-protobuf": { schema: z.string().meta({ format: "binary", description: `Protobuf ${message} (optionally Content-Encoding: gzip)` }) },
  };
}

/** OTLP failures: a google.rpc.Status body, not the app's JSON error. */
function otlpErrors(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: `HTTP ${status} with a google.rpc.Status body`,
        content: { "application/json": { schema: OtlpStatusSchema }, "application/x-protobuf": { schema: z.string().meta({ format: "binary" }) } },
      },
    ]),
  );
}

const CloudEventSchema = z
  .object({
    specversion: z.literal("1.0"),
    id: z.string().min(1),
    source: z.string().min(1).meta({ description: "URI-reference; with id, the event's identity." }),
    type: z.string().min(1),
    time: z.string().nullable().optional().meta({ description: "RFC 3339; absent or null = the time of receipt." }),
    subject: z.string().nullable().optional().meta({ description: "The agent key, unless data.agent is set." }),
    datacontenttype: z.string().nullable().optional().meta({ description: "A JSON media type when set." }),
    data: z.record(z.string(), z.unknown()).nullable().optional(),
    data_base64: z.string().nullable().optional().meta({ description: "Base64 of UTF-8 JSON; instead of data." }),
  })
  .catchall(z.unknown())
  .meta({ id: "CloudEvent", description: "A CloudEvents 1.0 event; other attributes are extensions (stored as properties)." });

export const registerFormatsApi: OpenApiResource = (registry, { errors, apiKey, apiKeyOrSession, json }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/cloudevents",
    summary: "Ingest CloudEvents 1.0 (structured, batched or binary mode)",
    description:
      "`application/cloudevents+json` (one event), `application/cloudevents-batch+json` (an array, at most 10,000), or binary mode " +
      "(`ce-*` headers, percent-encoded and optionally quoted, with JSON data or an empty body). `source` + `id` is the idempotency key " +
      "(stored as `<source> <id>`), `time` the timestamp (the time of receipt when absent, flagged `properties.ce_time_missing`), `type` " +
      "the event type, `subject` the agent; `data` (or `data_base64` carrying JSON) holds the other usage-event fields; a null attribute " +
      "is unset. Same validation, idempotency and rollups as POST /api/v1/events (mapping: docs/formats.md).",
    security: apiKey,
    request: {
      body: {
        required: true,
        content: {
          "application/cloudevents+json": { schema: CloudEventSchema },
          "application/cloudevents-batch+json": { schema: z.array(CloudEventSchema) },
          "application/json": { schema: z.record(z.string(), z.unknown()).meta({ description: "Binary mode: the event's data; context attributes in ce-* headers." }) },
        },
      },
    },
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
      "are reported in the standard `partialSuccess`. Counted only for keys whose usage source is `traces` (the default); with " +
      "`metrics` spans are accepted and not stored. Failures answer with a `google.rpc.Status` in the request's encoding.",
    security: apiKey,
    request: { body: { required: true, content: otlpBody("ExportTraceServiceRequest") } },
    responses: {
      200: {
        description: "Export result (ExportTraceServiceResponse)",
        content: {
          "application/json": { schema: z.object({ partialSuccess: z.object({ rejectedSpans: z.number().optional(), errorMessage: z.string().optional() }).optional() }) },
          "application/x-protobuf": { schema: z.string().meta({ format: "binary" }) },
        },
      },
      ...otlpErrors(400, 401, 403, 413, 415, 429, 503),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/otlp/v1/metrics",
    summary: "Ingest the OpenTelemetry GenAI token metric (OTLP/HTTP, JSON or protobuf)",
    description:
      "An OTLP `ExportMetricsServiceRequest` as `application/json` or `application/x-protobuf` (optionally gzip). Data points of " +
      "`gen_ai.client.token.usage` (histogram; `gen_ai.token.type` input/output) become usage events priced like spans; DELTA points " +
      "count as they are, CUMULATIVE points count their difference from the series' last point (state in the database: a retry, a " +
      "second instance or a restart never counts twice; a new start time is a reset). Other metrics are accepted and ignored. Counted " +
      "only for keys whose usage source is `metrics` (default `traces`: points are accepted and not counted). Invalid token points are " +
      "reported in `partialSuccess`. Failures answer with a `google.rpc.Status` in the request's encoding (docs/formats.md).",
    security: apiKey,
    request: { body: { required: true, content: otlpBody("ExportMetricsServiceRequest") } },
    responses: {
      200: {
        description: "Export result (ExportMetricsServiceResponse)",
        content: {
          "application/json": { schema: z.object({ partialSuccess: z.object({ rejectedDataPoints: z.number().optional(), errorMessage: z.string().optional() }).optional() }) },
          "application/x-protobuf": { schema: z.string().meta({ format: "binary" }) },
        },
      },
      ...otlpErrors(400, 401, 403, 413, 415, 429, 503),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/otlp/v1/logs",
    summary: "Accept OTLP logs and ignore them",
    description:
      "An exporter configured with the base endpoint sends logs too; they are read (size cap, gzip) and dropped, since usage comes " +
      "from traces or metrics. Answers an empty `ExportLogsServiceResponse`.",
    security: apiKey,
    request: { body: { required: true, content: otlpBody("ExportLogsServiceRequest") } },
    responses: {
      200: { description: "Empty ExportLogsServiceResponse", content: { "application/json": { schema: z.object({}) }, "application/x-protobuf": { schema: z.string().meta({ format: "binary" }) } } },
      ...otlpErrors(400, 401, 403, 413, 415, 429, 503),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/imports",
    summary: "Import a CSV or NDJSON file of usage events (streamed), or a FOCUS cloud billing export (queued)",
    description:
      "Body `text/csv` or `application/x-ndjson`; `mapping` maps event fields to CSV columns. An API key with the `ingest` scope, or an admin session. " +
      "`format=focus`: a FOCUS 1.0–1.3 billing export as CSV, gzip CSV or Parquet (recognised from the bytes); the upload is stored and a background job imports it under the FOCUS import settings " +
      "(202 with the queued import; follow it with GET /api/v1/imports).",
    security: apiKeyOrSession,
    request: { query: ImportQuerySchema },
    responses: {
      200: json(ImportJobSchema, "The import: rows read, accepted, duplicates, rejected"),
      202: json(ImportJobSchema, "format=focus: the queued import"),
      ...errors(400, 401, 403, 413, 415, 429, 503),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/imports",
    summary: "Recent file imports, newest first (at most 50)",
    description: "Admin role only (session).",
    responses: { 200: json(z.strictObject({ imports: z.array(ImportJobSchema) }), "Imports"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/imports/focus-preview",
    summary: "Preview a FOCUS file under the import settings (writes nothing)",
    description: "Admin role (session). The first 50 rows of the file's head: imported (agent, department, customer, cost, events), skipped by the AI filter, or their error.",
    request: { body: { required: true, content: { "application/json": { schema: FocusPreviewRequestSchema } } } },
    responses: { 200: json(FocusPreviewSchema, "The rows as the import would map them"), ...errors(400, 401, 403, 413) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/settings/focus-import",
    summary: "FOCUS import settings: AI row filter, cost column, agent/department/customer rules",
    description: "Admin role (session). Defaults filled in (docs/focus-import.md).",
    responses: { 200: json(FocusSettingsSchema, "The settings"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "put",
    path: "/api/v1/settings/focus-import",
    summary: "Replace the FOCUS import settings (audited)",
    description: "Admin role (session). Applies to imports queued afterwards.",
    request: { body: { required: true, content: { "application/json": { schema: FocusSettingsSchema } } } },
    responses: { 200: json(FocusSettingsSchema, "The saved settings"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/imports/{id}/errors",
    summary: "Per-row error report of an import (CSV)",
    security: apiKeyOrSession,
    request: { params: z.object({ id: z.string().regex(/^\d+$/) }) },
    responses: { 200: { description: "CSV: row, id, errors", content: { "text/csv": { schema: z.string() } } }, ...errors(401, 403, 404) },
  });
};
