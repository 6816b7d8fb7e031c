// GET /api/v1/imports/:id/errors — the per-row error report of an import, as CSV (row, id, errors)
import type { NextRequest } from "next/server";
import { withRoute } from "@/lib/api/route";
import type { Caller } from "@/lib/auth/caller";
import { NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { errorReportCsv } from "@/lib/formats/import";

type Context = { caller: Caller; params: { id: string } };

async function report({ caller, params }: Context) {
  const id = Number(params.id);
  const job = Number.isSafeInteger(id) && id > 0 ? await db.importJob.findUnique({ where: { id } }) : null;
  // An API key sees only the imports made under its own source.
  if (!job || (caller.kind === "apiKey" && job.source !== caller.source)) throw new NotFoundError("No such import");
  const lines = errorReportCsv(id);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(new TextEncoder().encode(next.value));
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="import-${id}-errors.csv"` },
  });
}

// The importing API key (ingest scope) or an admin session.
const withKey = withRoute<undefined, undefined, { id: string }>({ auth: "apiKey", permission: "ingest", handler: report });
const withSession = withRoute<undefined, undefined, { id: string }>({ auth: "session", permission: "admin", handler: report });

export function GET(req: NextRequest, context: { params: Promise<{ id: string }> }) {
  return req.headers.has("authorization") ? withKey(req, context) : withSession(req, context);
}
