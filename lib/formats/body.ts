// Reads a push body (CloudEvents, OTLP): capped in size, gzip allowed, as raw bytes or JSON.
import "server-only";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from "@/lib/api/errors";
import { MAX_BODY_BYTES } from "@/lib/ingest/schemas";

const gunzipAsync = promisify(gunzip);
const tooLarge = () => new PayloadTooLargeError(`Request body exceeds ${MAX_BODY_BYTES} bytes (uncompressed)`);

export async function readBytes(req: Request): Promise<Buffer> {
  if (Number(req.headers.get("content-length")) > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > MAX_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const raw = Buffer.concat(chunks, total);
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
