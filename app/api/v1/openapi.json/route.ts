// GET /api/v1/openapi.json — the API contract, generated from the zod schemas (public, no auth)
import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";

export function GET() {
  return NextResponse.json(openApiDocument());
}
