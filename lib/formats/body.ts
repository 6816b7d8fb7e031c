// Reads a push body (CloudEvents, OTLP): capped in size, gzip allowed, as raw bytes or JSON.
import "server-only";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { readBodyCapped } from "@/lib/api/body";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from "@/lib/api/errors";
import { MAX_BODY_BYTES } from "@/lib/ingest/schemas";

const gunzipAsync = promisify(gunzip);
const tooLarge = () => new PayloadTooLargeError(`Request body exceeds ${MAX_BODY_BYTES} bytes (uncompressed)`);

export async function readBytes(req: Request): Promise<Buffer> {
  const raw = await readBodyCapped(req, MAX_BODY_BYTES);
  const encoding = (req.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding === "identity") return raw;
  if (encoding !== "gzip" && encoding !== "x-gzip") throw new UnsupportedMediaTypeError("Unsupported Content-Encoding: send gzip or an uncompressed body");
  try {
    return await gunzipAsync(raw, { maxOutputLength: MAX_BODY_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw new BadRequestError("Request body is not valid gzip data");
  }
}

export function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new BadRequestError(`Request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}
