// GET /api/v1/allocation-rules?agent=KEY — allocation rule versions; POST adds a version from an effective date (finance, admin)
import { withRoute } from "@/lib/api/route";
import { createRule, listRules } from "@/lib/allocation/rule-admin";
import { ruleCreate, ruleListQuery } from "@/lib/allocation/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: ruleListQuery,
  handler: async ({ caller, query }) => ({ rules: await listRules(caller, query.agent) }),
});

export const POST = withRoute({
  auth: "session",
  permission: "budgets:write",
  departmentChecked: true,
  body: ruleCreate,
  handler: async ({ caller, body }) => Response.json(await createRule(caller, body), { status: 201 }),
});
