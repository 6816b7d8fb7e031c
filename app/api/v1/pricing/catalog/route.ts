// POST /api/v1/pricing/catalog — apply a catalog update previewed before (refused if anything moved since)
import { withRoute } from "@/lib/api/route";
import { callerLabel } from "@/lib/auth/caller";
import { pool } from "@/lib/db";
import { catalogFrom } from "@/lib/pricing/catalog-source";
import { applyCatalog } from "@/lib/pricing/catalog-store";
import { catalogSource } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: catalogSource,
  handler: async ({ caller, body }) =>
    applyCatalog(pool, await catalogFrom(body), { expect: body.expect, actor: { id: caller.kind === "user" ? caller.id : null, label: callerLabel(caller) } }),
});
