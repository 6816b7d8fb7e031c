// OTLP/HTTP failures: "the response body for all HTTP 4xx and HTTP 5xx responses MUST be a Protobuf-encoded Status
// message" in the request's encoding (binary protobuf, or its JSON mapping for OTLP/JSON), status and headers
// (e.g. Retry-After) unchanged. The code is the gRPC code closest to the HTTP status; OTLP clients read the status.
import protobuf from "protobufjs";
import { NextResponse, type NextRequest } from "next/server";
import { UnsupportedMediaTypeError, type ApiError } from "@/lib/api/errors";
import { readBytes } from "./body";

// google.rpc.Status (googleapis google/rpc/status.proto) without `details`, which is never sent.
const Status = new protobuf.Type("Status").add(new protobuf.Field("code", 1, "int32")).add(new protobuf.Field("message", 2, "string"));
new protobuf.Root().define("google.rpc").add(Status);

const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

export function isProtobufRequest(req: Request): boolean {
  return req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() === "application/x-protobuf";
}

/** The body of an OTLP/HTTP export (traces, metrics, logs) and whether it is protobuf; anything but the two encodings is a 415. */
export async function readOtlpBody(req: Request): Promise<{ protobuf: boolean; bytes: Buffer }> {
  const protobuf = isProtobufRequest(req);
  if (!protobuf && req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() !== "application/json") {
    throw new UnsupportedMediaTypeError("Send OTLP as application/x-protobuf or application/json");
  }
  return { protobuf, bytes: await readBytes(req) };
}

export function otlpErrorResponse(error: ApiError, req: NextRequest, requestId: string): Response {
  const status = { code: GRPC_CODE[error.status] ?? 2, message: error.message };
  const headers = { ...error.headers, "x-request-id": requestId };
  if (!isProtobufRequest(req)) return NextResponse.json(status, { status: error.status, headers });
  return new Response(Buffer.from(Status.encode(Status.create(status)).finish()), {
    status: error.status,
    headers: { ...headers, "content-type": "application/x-protobuf" },
  });
}

/** Decodes a Status body (tests, and anyone debugging an export). */
export function decodeStatus(body: Uint8Array): { code?: number; message?: string } {
  return Status.toObject(Status.decode(body)) as { code?: number; message?: string };
}
