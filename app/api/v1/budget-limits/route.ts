// GET /api/v1/budget-limits — limits with their current spend; POST creates one (admin, finance)
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { createBudgetLimit, listBudgetLimits } from "@/lib/budgets/limits";
import { budgetLimitCreate, budgetLimitListQuery } from "@/lib/budgets/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute<z.infer<typeof budgetLimitListQuery>>({
  auth: "session",
  permission: "budgets:write",
  query: budgetLimitListQuery,
  handler: async ({ caller, query }) => ({ items: await listBudgetLimits(caller, query) }),
});

export const POST = withRoute<undefined, z.infer<typeof budgetLimitCreate>>({
  auth: "session",
  permission: "budgets:write",
  body: budgetLimitCreate,
  handler: ({ caller, body }) => createBudgetLimit(caller, body),
});
