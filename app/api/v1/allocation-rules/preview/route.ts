// POST /api/v1/allocation-rules/preview — what each department would pay in a month after a rule change, without saving (finance, admin)
import { withRoute } from "@/lib/api/route";
import { previewChange } from "@/lib/allocation/preview";
import { rulePreview } from "@/lib/allocation/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "budgets:write",
  departmentChecked: true,
  body: rulePreview,
  handler: ({ caller, body }) => previewChange(caller, body),
});
