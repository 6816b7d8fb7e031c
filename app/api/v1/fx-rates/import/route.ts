// POST /api/v1/fx-rates/import — an ECB reference-rate file (CSV or XML) or a base,quote,date,rate CSV: preview or apply, all or none (admin)
import { withRoute } from "@/lib/api/route";
import { enqueueJob } from "@/lib/jobs";
import { importFxFile } from "@/lib/currency/admin";
import { fxImportQuery } from "@/lib/currency/schemas";
import { readFxFile } from "@/lib/currency/upload";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  query: fxImportQuery,
  bodyLimit: "import",
  handler: async ({ req, caller, query }) => {
    const result = await importFxFile(caller, query.format, query.mode, await readFxFile(req));
    if (result.conversionRunId !== null) await enqueueJob("recompute.run", { runId: result.conversionRunId });
    return result;
  },
});
