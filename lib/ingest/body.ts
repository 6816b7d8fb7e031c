// Reads the ingestion request body: JSON, optionally gzip, never more than MAX_BODY_BYTES uncompressed.
import "server-only";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { readBodyCapped } from "@/lib/api/body";
import { zodDetails } from "@/lib/api/route";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from "@/lib/api/errors";
import { EnvelopeSchema, MAX_BODY_BYTES } from "./schemas";

const gunzipAsync = promisify(gunzip);
const tooLarge = () => new PayloadTooLargeError(`Request body exceeds ${MAX_BODY_BYTES} bytes (uncompressed)`);

async function decode(req: Request, raw: Buffer): Promise<Buffer> {
  const encoding = (req.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity") return raw;
  if (encoding !== "gzip" && encoding !== "x-gzip") {
    throw new UnsupportedMediaTypeError(`Unsupported Content-Encoding '${encoding.slice(0, 40)}': send gzip or an uncompressed body`);
  }
  try {
    // The output cap stops a gzip bomb before it is inflated in memory.
    return await gunzipAsync(raw, { maxOutputLength: MAX_BODY_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw new BadRequestError("Request body is not valid gzip data");
  }
}

/** The envelope's events (each still unvalidated), or a 400/413/415 naming the problem. */
export async function readEvents(req: Request): Promise<unknown[]> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError("Expected Content-Type: application/json");
  }
  const body = await decode(req, await readBodyCapped(req, MAX_BODY_BYTES));
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    throw new BadRequestError(`Request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const details = zodDetails(envelope.error);
    throw new BadRequestError(`Invalid request body: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`, details);
  }
  return envelope.data.events;
}
