// POST /api/v1/imports — stream a CSV or NDJSON file of usage events into ingestion, or queue a FOCUS billing export
// (format=focus, 202); GET — recent imports
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { bodyLimit, bodyStreamCapped } from "@/lib/api/body";
import { withRoute } from "@/lib/api/route";
import { BadRequestError, UnsupportedMediaTypeError } from "@/lib/api/errors";
import { enforceRateLimit } from "@/lib/api/rate-limit";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { runImport } from "@/lib/formats/import";
import { UNRESTRICTED } from "@/lib/ingest/policy";
import { ImportQuerySchema, MappingSchema } from "@/lib/formats/import-schemas";
import { importView } from "@/lib/formats/import-view";
import { queueFocusImport } from "@/lib/focus-import/run";

/** UI uploads (admins) share one idempotency namespace; an API key imports into its own source. */
const UI_SOURCE = "file-import";

async function importFile({ req, caller, query }: { req: Request; caller: Caller; query: z.infer<typeof ImportQuerySchema> }) {
  if (caller.kind === "apiKey") await enforceRateLimit(caller);
  const contentType = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  const format = query.format ?? (contentType === "text/csv" ? "csv" : /ndjson|jsonl|json-seq/.test(contentType) ? "ndjson" : null);
  if (!format) throw new UnsupportedMediaTypeError("Send text/csv or application/x-ndjson, or pass ?format=csv|ndjson");
  let mapping: Record<string, string> | null = null;
  if (query.mapping) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(query.mapping);
    } catch {
      throw new BadRequestError("mapping: not valid JSON");
    }
    const result = MappingSchema.safeParse(parsed);
    if (!result.success) throw new BadRequestError("mapping: must be an object of field → column names");
    mapping = result.data;
  }
  const { bytes, setting } = bodyLimit("import");
  const body = bodyStreamCapped(req, bytes, setting);
  if (!body) throw new BadRequestError("The request has no body");
  const encoding = req.headers.get("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity" && encoding !== "gzip") throw new UnsupportedMediaTypeError("Content-Encoding must be gzip or none");
  if (format === "focus") {
    if (mapping) throw new BadRequestError("mapping: not used with format=focus (its rules are the FOCUS import settings)");
    // gzip (a .csv.gz file or Content-Encoding: gzip) and Parquet are recognised by the job from the bytes.
    return Response.json(importView(await queueFocusImport({ body, fileName: query.fileName, caller })), { status: 202 });
  }
  const job = await runImport({
    body,
    gzip: encoding === "gzip",
    format,
    fileName: query.fileName,
    source: caller.kind === "apiKey" ? caller.source : UI_SOURCE,
    policy: caller.kind === "apiKey" ? caller.policy : UNRESTRICTED,
    mapping,
    createdById: caller.kind === "user" ? caller.id : null,
  });
  return importView(job);
}

// Importing takes an API key with the ingest scope or an admin session: one wrapper for each.
const withKey = withRoute({ auth: "apiKey", permission: "ingest", bodyLimit: "import", query: ImportQuerySchema, handler: importFile });
const withSession = withRoute({ auth: "session", permission: "admin", bodyLimit: "import", query: ImportQuerySchema, handler: importFile });

export function POST(req: NextRequest, context: { params: Promise<Record<string, string>> }) {
  return req.headers.has("authorization") ? withKey(req, context) : withSession(req, context);
}

export const GET = withRoute({
  auth: "session",
  permission: "admin",
  handler: async () => ({ imports: (await db.importJob.findMany({ orderBy: { id: "desc" }, take: 50 })).map(importView) }),
});
