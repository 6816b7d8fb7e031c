// POST /api/v1/cloudevents — CloudEvents 1.0 over HTTP (structured, batched or binary mode) as usage events
import { withRoute } from "@/lib/api/route";
import { admitIngestion } from "@/lib/ingest/admission";
import { BadRequestError, UnauthorizedError, UnsupportedMediaTypeError } from "@/lib/api/errors";
import { parseJson, readBytes } from "@/lib/formats/body";
import { BATCH_TYPE, STRUCTURED_TYPE, fromBatch, fromBinary, fromStructured, isBinaryMode, isJsonContentType, type CloudEventBatch } from "@/lib/formats/cloudevents";
import { dropLegacyDuplicates } from "@/lib/formats/cloudevents-legacy";
import { ingestMapped } from "@/lib/formats/ingest";
import { MAX_EVENTS_PER_BATCH } from "@/lib/ingest/schemas";

export const POST = withRoute({
  auth: "apiKey",
  permission: "ingest",
  bodyLimit: "ingest",
  handler: async ({ req, caller }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await admitIngestion(caller);
    const receivedAt = new Date();
    const contentType = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
    const ingest = async (mapped: CloudEventBatch) => {
      const { batch, duplicates } = await dropLegacyDuplicates(caller.source, mapped);
      const result = await ingestMapped(caller.source, batch, caller.policy);
      // Rejections name the CloudEvent's own id, not the stored "<source> <id>" key.
      const idAt = new Map(batch.origin.map((index, i) => [index, batch.identities[i]!.id]));
      const rejected = result.rejected.map((r) => ({ ...r, id: idAt.get(r.index) ?? r.id }));
      return { ...result, rejected, duplicates: result.duplicates + duplicates };
    };
    if (contentType === BATCH_TYPE) {
      const body = parseJson(await readBytes(req));
      if (!Array.isArray(body)) throw new BadRequestError("A CloudEvents batch must be a JSON array");
      if (body.length > MAX_EVENTS_PER_BATCH) throw new BadRequestError(`At most ${MAX_EVENTS_PER_BATCH} events per batch`);
      return ingest(fromBatch(body, receivedAt));
    }
    if (contentType === STRUCTURED_TYPE) return ingest(fromStructured(parseJson(await readBytes(req)), receivedAt));
    if (isBinaryMode(req.headers)) {
      // An event without data has an empty body (and may have no Content-Type).
      const bytes = await readBytes(req);
      if (!bytes.length) return ingest(fromBinary(req.headers, undefined, null, receivedAt));
      if (!contentType || !isJsonContentType(contentType)) throw new UnsupportedMediaTypeError("Binary-mode CloudEvents need JSON data (Content-Type: application/json)");
      return ingest(fromBinary(req.headers, parseJson(bytes), contentType, receivedAt));
    }
    throw new UnsupportedMediaTypeError(`Send ${STRUCTURED_TYPE}, ${BATCH_TYPE}, or binary mode (ce-specversion header with JSON data)`);
  },
});
