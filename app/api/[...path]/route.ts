// Any /api path no route serves: a JSON 404 in the API's error shape (Next.js would answer with its HTML page).
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { errorResponse } from "@/lib/api/route";

function notFound(req: NextRequest) {
  const requestId = req.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
  return errorResponse(new NotFoundError(`No API endpoint at ${req.nextUrl.pathname}; the API is described at /api/v1/openapi.json`), requestId);
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
