// Any /api path no route serves: a JSON 404 in the API's error shape (Next.js would answer with its HTML page).
import type { NextRequest } from "next/server";
import { NotFoundError } from "@/lib/api/errors";
import { errorResponse, requestIdOf } from "@/lib/api/route";

function notFound(req: NextRequest) {
  return errorResponse(new NotFoundError(`No API endpoint at ${req.nextUrl.pathname}; the API is described at /api/v1/openapi.json`), requestIdOf(req));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
