// PATCH|DELETE /api/v1/model-prices/:id — correct or remove a model price row
import { deleteModelPrice, updateModelPrice } from "@/lib/admin/catalog";
import { idParams, modelPriceUpdate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "admin",
  body: modelPriceUpdate,
  handler: async ({ caller, body, params }) => updateModelPrice(caller, idParams.parse(params).id, body),
});

export const DELETE = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => deleteModelPrice(caller, idParams.parse(params).id),
});
