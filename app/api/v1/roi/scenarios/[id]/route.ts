// GET|PATCH|DELETE /api/v1/roi/scenarios/{id} — one of the caller's scenarios: read, rename, change, share or unshare, delete
import { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { scenarioUpdate } from "@/lib/analytics/scenario-schemas";
import { deleteScenario, getScenario, updateScenario } from "@/lib/analytics/scenarios";
import { userCaller } from "@/lib/auth/caller";

export const dynamic = "force-dynamic";

const id = (params: { id: string }) => z.coerce.number().int().positive().parse(params.id);

export const GET = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "read",
  handler: async ({ caller, params }) => getScenario(userCaller(caller), id(params)),
});

export const PATCH = withRoute<undefined, z.output<typeof scenarioUpdate>, { id: string }>({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  body: scenarioUpdate,
  handler: async ({ caller, params, body }) => updateScenario(userCaller(caller), id(params), body),
});

export const DELETE = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  handler: async ({ caller, params }) => {
    await deleteScenario(userCaller(caller), id(params));
    return new Response(null, { status: 204 });
  },
});
