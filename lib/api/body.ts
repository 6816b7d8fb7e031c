// Request body caps: every reader of a request body goes through here. A Content-Length over the cap is
// refused before anything is read; a body without one (chunked) is counted while it streams and cut off at the cap.
import "server-only";
import { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { MAX_BODY_BYTES } from "@/lib/ingest/schemas";
import { PayloadTooLargeError } from "./errors";
import { errorResponse, requestIdOf } from "./route";

/** The caps, by kind of route; each names the setting that changes it. */
const LIMITS = {
  json: () => ({ bytes: env().BODY_LIMIT_JSON_BYTES, setting: "BODY_LIMIT_JSON_BYTES" }),
  auth: () => ({ bytes: env().BODY_LIMIT_AUTH_BYTES, setting: "BODY_LIMIT_AUTH_BYTES" }),
  ingest: () => ({ bytes: MAX_BODY_BYTES, setting: "the ingestion batch limit" }),
  import: () => ({ bytes: env().IMPORT_MAX_UPLOAD_BYTES, setting: "IMPORT_MAX_UPLOAD_BYTES" }),
};
export type BodyLimit = keyof typeof LIMITS;
export const bodyLimit = (kind: BodyLimit) => LIMITS[kind]();

function tooLarge(limit: number, setting?: string): PayloadTooLargeError {
  return new PayloadTooLargeError(`Request body exceeds ${limit} bytes${setting ? ` (${setting})` : ""}`);
}

/** 413 at once when the declared length is over the cap. */
export function checkContentLength(req: Request, limit: number, setting?: string): void {
  checkDeclaredLength(req.headers.get("content-length"), limit, setting);
}

export function checkDeclaredLength(contentLength: string | null | undefined, limit: number, setting?: string): void {
  if (Number(contentLength) > limit) throw tooLarge(limit, setting);
}

/** The body as a stream that errors with a 413 once more than `limit` bytes have arrived. */
export function bodyStreamCapped(req: Request, limit: number, setting?: string): ReadableStream<Uint8Array> | null {
  checkContentLength(req, limit, setting);
  if (!req.body) return null;
  let total = 0;
  return req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > limit) controller.error(tooLarge(limit, setting));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * The whole body, at most `limit` bytes; a 413 (PayloadTooLargeError) otherwise. A body up to 4× over the cap is
 * read to its end and dropped, so the client gets the 413 on a still-usable connection (fetch clients fail with
 * ECONNRESET when the upload is cut off); a larger one is cut off there. Nothing past the cap is kept.
 */
export async function readBodyCapped(req: Request, limit: number, setting?: string): Promise<Buffer> {
  checkContentLength(req, limit, setting);
  return req.body ? collectCapped(req.body, limit, setting) : Buffer.alloc(0);
}

/** readBodyCapped's reading, for any stream of chunks (a web body, or a Node request on the fast routes). */
export async function collectCapped(body: AsyncIterable<Uint8Array>, limit: number, setting?: string): Promise<Buffer> {
  const drainLimit = 4 * limit;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const value of body) {
    total += value.byteLength;
    if (total <= limit) chunks.push(value);
    else if (total > drainLimit) throw tooLarge(limit, setting); // leaving the loop cancels the stream
  }
  if (total > limit) throw tooLarge(limit, setting);
  return Buffer.concat(chunks, total);
}

type Handler = (req: NextRequest, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/**
 * Wraps a handler that reads the body itself (next-auth): the body is read under the BODY_LIMIT_AUTH_BYTES cap
 * first and handed on as a buffered copy, or the request is answered 413.
 */
export function withAuthBodyCap<H extends Handler>(handler: H): H {
  return (async (req, context) => {
    if (req.method !== "POST") return handler(req, context);
    const { bytes, setting } = bodyLimit("auth");
    let body: Buffer;
    try {
      body = await readBodyCapped(req, bytes, setting);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return errorResponse(error, requestIdOf(req));
      throw error;
    }
    return handler(new NextRequest(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) }), context);
  }) as H;
}
