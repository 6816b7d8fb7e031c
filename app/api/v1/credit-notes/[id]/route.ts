// GET /api/v1/credit-notes/{id} — one credit note with its lines
import { withRoute } from "@/lib/api/route";
import { getCreditNote } from "@/lib/billing/credit-notes";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller, params }) => getCreditNote(caller, idParams.parse(params).id),
});
