// POST /api/v1/otlp/v1/logs — OTLP/HTTP log export, accepted and ignored: an exporter pointed at the base endpoint
// sends logs too, and usage comes from traces. The body is read (size-capped, gzip checked) but not stored.
import { withRoute } from "@/lib/api/route";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { UnauthorizedError } from "@/lib/api/errors";
import { otlpErrorResponse, readOtlpBody } from "@/lib/formats/otlp-status";

export const POST = withRoute({
  auth: "apiKey",
  permission: "ingest",
  bodyLimit: "ingest",
  errorResponse: otlpErrorResponse,
  handler: async ({ req, caller }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await enforceRateLimit(caller);
    const { protobuf } = await readOtlpBody(req);
    // An empty ExportLogsServiceResponse: zero bytes in protobuf, {} in JSON.
    return protobuf ? new Response(new Uint8Array(), { headers: { "content-type": "application/x-protobuf" } }) : {};
  },
});
