// POST /api/v1/budget-checks — may this agent (department, key) spend now? Answered from the in-memory budget cache
import type { z } from "zod";
import { UnauthorizedError } from "@/lib/api/errors";
import { enforceCheckRateLimit } from "@/lib/api/rate-limit";
import { withRoute } from "@/lib/api/route";
import { budgetCheckRequest } from "@/lib/budgets/schemas";
import { budgetCheckCaller, runBudgetCheck } from "@/lib/budgets/service";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, z.infer<typeof budgetCheckRequest>>({
  auth: "apiKey",
  permission: "check",
  apiKeyLookup: budgetCheckCaller,
  body: budgetCheckRequest,
  handler: async ({ caller, body }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await enforceCheckRateLimit(caller);
    return runBudgetCheck(body, caller);
  },
});
