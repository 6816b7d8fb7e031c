// POST /api/v1/otlp/v1/traces — OTLP/HTTP trace export (JSON or protobuf); GenAI spans become usage events
import { withRoute } from "@/lib/api/route";
import { admitIngestion } from "@/lib/ingest/admission";
import { BadRequestError, UnauthorizedError } from "@/lib/api/errors";
import { parseJson } from "@/lib/formats/body";
import { collectSpans, decodeProtobuf, encodeResponseProtobuf, exportResponse, type SpanRecord, type TracesRequest } from "@/lib/formats/otlp";
import { otlpErrorResponse, readOtlpBody } from "@/lib/formats/otlp-status";
import { ingestTraces } from "@/lib/formats/traces";

export const POST = withRoute({
  auth: "apiKey",
  permission: "ingest",
  bodyLimit: "ingest",
  errorResponse: otlpErrorResponse,
  handler: async ({ req, caller }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await admitIngestion(caller);
    const { protobuf, bytes } = await readOtlpBody(req);
    let spans: SpanRecord[];
    try {
      // A JSON body of the wrong shape fails inside the walk over resourceSpans/scopeSpans/spans.
      spans = collectSpans(protobuf ? decodeProtobuf(bytes) : (parseJson(bytes) as TracesRequest));
    } catch (error) {
      if (error instanceof BadRequestError) throw error;
      throw new BadRequestError("Body is not a valid OTLP ExportTraceServiceRequest");
    }
    // A key whose usage comes from metrics: spans are accepted and not stored, so nothing counts twice.
    if (caller.usageSource === "metrics") spans = [];
    // Spans are stored per trace and usage counted once (lib/formats/traces.ts, docs/formats.md).
    const result = await ingestTraces(caller.source, spans, caller.policy);
    const message = result.rejected.slice(0, 5).map((r) => `span ${r.id ?? r.index}: ${r.errors.join(", ")}`).join("; ");
    if (!protobuf) return exportResponse(result.rejected.length, message);
    return new Response(Buffer.from(encodeResponseProtobuf(result.rejected.length, message)), {
      headers: { "content-type": "application/x-protobuf" },
    });
  },
});
