// POST /api/v1/pricing/catalog/preview — what a catalog update would change (from the installed package or a file)
import { withRoute } from "@/lib/api/route";
import { pool } from "@/lib/db";
import { catalogFrom } from "@/lib/pricing/catalog-source";
import { previewCatalog } from "@/lib/pricing/catalog-store";
import { catalogSource } from "@/lib/pricing/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  body: catalogSource,
  handler: async ({ body }) => previewCatalog(pool, await catalogFrom(body)),
});
