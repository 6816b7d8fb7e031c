// POST /api/v1/cloudevents — CloudEvents 1.0 over HTTP (structured, batched or binary mode) as usage events
import { withRoute } from "@/lib/api/route";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import { BadRequestError, UnauthorizedError, UnsupportedMediaTypeError } from "@/lib/api/errors";
import { parseJson, readBytes } from "@/lib/formats/body";
import { BATCH_TYPE, STRUCTURED_TYPE, fromBatch, fromBinary, fromStructured, isBinaryMode } from "@/lib/formats/cloudevents";
import { ingestMapped } from "@/lib/formats/ingest";
import { MAX_EVENTS_PER_BATCH } from "@/lib/ingest/schemas";

export const POST = withRoute({
  auth: "apiKey",
  permission: "ingest",
  bodyLimit: "ingest",
  handler: async ({ req, caller }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await enforceRateLimit(caller);
    const contentType = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
    if (contentType === BATCH_TYPE) {
      const body = parseJson(await readBytes(req));
      if (!Array.isArray(body)) throw new BadRequestError("A CloudEvents batch must be a JSON array");
      if (body.length > MAX_EVENTS_PER_BATCH) throw new BadRequestError(`At most ${MAX_EVENTS_PER_BATCH} events per batch`);
      return ingestMapped(caller.source, fromBatch(body), caller.policy);
    }
    if (contentType === STRUCTURED_TYPE) return ingestMapped(caller.source, fromStructured(parseJson(await readBytes(req))), caller.policy);
    if (isBinaryMode(req.headers)) {
      if (!/^application\/([\w.+-]*\+)?json$/.test(contentType)) throw new UnsupportedMediaTypeError("Binary-mode CloudEvents need JSON data (Content-Type: application/json)");
      return ingestMapped(caller.source, fromBinary(req.headers, parseJson(await readBytes(req)), contentType), caller.policy);
    }
    throw new UnsupportedMediaTypeError(`Send ${STRUCTURED_TYPE}, ${BATCH_TYPE}, or binary mode (ce-specversion header with JSON data)`);
  },
});
