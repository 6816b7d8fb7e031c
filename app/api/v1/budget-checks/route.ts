// POST /api/v1/budget-checks — may this agent (department, key) spend now? Answered from the in-memory budget cache
import type { z } from "zod";
import { UnauthorizedError } from "@/lib/api/errors";
import { registerFastRoute } from "@/lib/api/fast-routes";
import { enforceCheckRateLimit } from "@/lib/api/rate-limit";
import { fastRoute, withRoute, type FastRouteOptions } from "@/lib/api/route";
import { budgetCheckRequest } from "@/lib/budgets/schemas";
import { budgetCheckCaller, runBudgetCheck } from "@/lib/budgets/service";

export const dynamic = "force-dynamic";

type Body = z.infer<typeof budgetCheckRequest>;

const check: Omit<FastRouteOptions<Body>, "auth"> = {
  permission: "check",
  apiKeyLookup: budgetCheckCaller,
  body: budgetCheckRequest,
  handler: async ({ caller, body }) => {
    if (caller.kind !== "apiKey") throw new UnauthorizedError();
    await enforceCheckRateLimit(caller);
    return runBudgetCheck(body, caller);
  },
};

export const POST = withRoute<undefined, Body>({ auth: "apiKey", ...check });

// The production server (scripts/serve.mjs) answers this route with the same options and steps, without Next's
// router and web streams: about a fifth of the CPU per check.
registerFastRoute("POST", "/api/v1/budget-checks", fastRoute({ auth: "apiKey", ...check }));
