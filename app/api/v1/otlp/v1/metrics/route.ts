// POST /api/v1/otlp/v1/metrics — OTLP/HTTP metric export (JSON or protobuf); gen_ai.client.token.usage points become usage events
import { withRoute } from "@/lib/api/route";
import { admitIngestion } from "@/lib/ingest/admission";
import { BadRequestError, UnauthorizedError } from "@/lib/api/errors";
import { parseJson } from "@/lib/formats/body";
import { ingestMetrics } from "@/lib/formats/metrics";
import { collectTokenPoints, decodeMetricsProtobuf, encodeMetricsResponse, metricsResponse, type MetricsParse, type MetricsRequest } from "@/lib/formats/otlp-metrics";
import { otlpErrorResponse, readOtlpBody } from "@/lib/formats/otlp-status";

export const POST = withRoute({
  auth: "apiKey",
  permission: "ingest",
  bodyLimit: "ingest",
  errorResponse: otlpErrorResponse,
  handler: async ({ req, caller }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await admitIngestion(caller);
    const { protobuf, bytes } = await readOtlpBody(req);
    let parsed: MetricsParse;
    try {
      parsed = collectTokenPoints(protobuf ? decodeMetricsProtobuf(bytes) : (parseJson(bytes) as MetricsRequest));
    } catch (error) {
      if (error instanceof BadRequestError) throw error;
      throw new BadRequestError("Body is not a valid OTLP ExportMetricsServiceRequest");
    }
    // A key whose usage comes from traces: points advance their series but count nothing (lib/formats/metrics.ts).
    const result = await ingestMetrics(caller.source, parsed, caller.policy, caller.usageSource === "metrics");
    const message = result.rejected.slice(0, 5).map((r) => `data point ${r.index}: ${r.errors.join(", ")}`).join("; ");
    if (!protobuf) return metricsResponse(result.rejected.length, message);
    return new Response(Buffer.from(encodeMetricsResponse(result.rejected.length, message)), { headers: { "content-type": "application/x-protobuf" } });
  },
});
