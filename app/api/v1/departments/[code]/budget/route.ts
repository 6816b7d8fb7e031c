// PUT /api/v1/departments/{code}/budget — monthly budget and alert thresholds (admin, finance)
import { withRoute } from "@/lib/api/route";
import { setBudget } from "@/lib/allocation/departments";
import { budgetUpdate } from "@/lib/allocation/schemas";
import type { z } from "zod";

export const dynamic = "force-dynamic";

export const PUT = withRoute<undefined, z.infer<typeof budgetUpdate>, { code: string }>({
  auth: "session",
  permission: "budgets:write",
  departmentChecked: true,
  body: budgetUpdate,
  handler: ({ caller, body, params }) => setBudget(caller, params.code, body),
});
