// PATCH /api/v1/budget-limits/{id} — change levels or fail mode; DELETE removes the limit (admin, finance)
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { deleteBudgetLimit, updateBudgetLimit } from "@/lib/budgets/limits";
import { budgetLimitIdParams, budgetLimitUpdate } from "@/lib/budgets/schemas";

export const dynamic = "force-dynamic";

export const PATCH = withRoute<undefined, z.infer<typeof budgetLimitUpdate>, { id: string }>({
  auth: "session",
  permission: "budgets:write",
  body: budgetLimitUpdate,
  handler: ({ caller, body, params }) => updateBudgetLimit(caller, budgetLimitIdParams.parse(params).id, body),
});

export const DELETE = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "budgets:write",
  handler: ({ caller, params }) => deleteBudgetLimit(caller, budgetLimitIdParams.parse(params).id),
});
