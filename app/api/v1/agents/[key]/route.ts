// GET|PATCH /api/v1/agents/{key} — one agent's trend, outcomes, cost per task, models used and departments served;
// PATCH changes its name, platform, model, default department, shared flag, tags or status (admin)
import { updateAgent } from "@/lib/admin/catalog";
import { agentUpdate } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";
import { agentDetail } from "@/lib/analytics/agent";
import { agentQuery, type AgentQuery } from "@/lib/analytics/schemas";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute<AgentQuery, undefined, { key: string }>({
  auth: "either",
  permission: "read",
  replica: true,
  query: agentQuery,
  handler: async ({ caller, query, params }) => agentDetail(caller, await orgSettings(), params.key, query),
});

export const PATCH = withRoute<undefined, ReturnType<typeof agentUpdate.parse>, { key: string }>({
  auth: "session",
  permission: "admin",
  departmentChecked: true,
  body: agentUpdate,
  handler: async ({ caller, body, params }) => updateAgent(caller, params.key, body),
});
