// OpenAPI registration of the ingestion API (schemas from ./schemas).
import type { OpenApiResource } from "@/lib/api/openapi";
import { IngestRequestSchema, IngestResponseSchema, MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH } from "./schemas";

export const registerEventsApi: OpenApiResource = (registry, { errors, apiKey }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/events",
    summary: "Ingest a batch of usage events",
    description: [
      `1 to ${MAX_EVENTS_PER_BATCH} events, at most ${MAX_BODY_BYTES} bytes uncompressed; \`Content-Encoding: gzip\` is accepted.`,
      "Idempotent per event `id` (per API key source, forever): a re-sent event counts as a duplicate, never twice.",
      "Each event is validated on its own: valid events are stored whole, invalid ones are listed in `rejected`.",
      "Needs an API key with the `ingest` scope; each key has a per-minute request limit.",
    ].join(" "),
    security: apiKey,
    request: { body: { required: true, content: { "application/json": { schema: IngestRequestSchema } } } },
    responses: {
      200: { description: "Batch processed", content: { "application/json": { schema: IngestResponseSchema } } },
      ...errors(400, 401, 403, 413, 415, 429, 503),
    },
  });
};
