// PATCH /api/v1/allocation-rules/{id} — ends a rule version on a day (or removes its end); DELETE removes the version (finance, admin)
import { withRoute } from "@/lib/api/route";
import { deleteRule, endRule } from "@/lib/allocation/rule-admin";
import { ruleEnd } from "@/lib/allocation/schemas";
import { NotFoundError } from "@/lib/api/errors";

export const dynamic = "force-dynamic";

function ruleId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new NotFoundError(`No allocation rule ${raw}`);
  return id;
}

export const PATCH = withRoute<undefined, { effectiveTo: string | null }, { id: string }>({
  auth: "session",
  permission: "budgets:write",
  departmentChecked: true,
  body: ruleEnd,
  handler: ({ caller, body, params }) => endRule(caller, ruleId(params.id), body),
});

export const DELETE = withRoute<undefined, undefined, { id: string }>({
  auth: "session",
  permission: "budgets:write",
  departmentChecked: true,
  handler: async ({ caller, params }) => {
    await deleteRule(caller, ruleId(params.id));
    return new Response(null, { status: 204 });
  },
});
