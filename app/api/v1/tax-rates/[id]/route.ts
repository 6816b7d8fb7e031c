// PATCH|DELETE /api/v1/tax-rates/:id — correct, end or remove a tax rate
import { idParams } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";
import { taxRateUpdate } from "@/lib/billing/tax-schemas";
import { deleteTaxRate, updateTaxRate } from "@/lib/billing/tax-store";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({
  auth: "session",
  permission: "admin",
  body: taxRateUpdate,
  handler: async ({ caller, body, params }) => updateTaxRate(caller, idParams.parse(params).id, body),
});

export const DELETE = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ caller, params }) => deleteTaxRate(caller, idParams.parse(params).id),
});
