// GET /api/v1/budget-limits/use — current use vs limit of an agent's or a department's applicable limits (or of every department limit)
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { budgetUseQuery } from "@/lib/budgets/schemas";
import { budgetUseFor } from "@/lib/budgets/use";

export const dynamic = "force-dynamic";

export const GET = withRoute<z.infer<typeof budgetUseQuery>>({
  auth: "either",
  permission: "read",
  query: budgetUseQuery,
  handler: ({ caller, query }) => budgetUseFor(caller, query),
});
