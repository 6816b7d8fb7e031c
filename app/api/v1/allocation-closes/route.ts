// GET /api/v1/allocation-closes — closed chargeback months; POST closes a month, freezing its figures (finance, admin)
import { withRoute } from "@/lib/api/route";
import { closeMonth, listCloses } from "@/lib/allocation/close";
import { monthClose } from "@/lib/allocation/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async () => ({ closes: await listCloses() }),
});

export const POST = withRoute({
  auth: "session",
  permission: "budgets:write",
  body: monthClose,
  handler: async ({ caller, body }) => Response.json(await closeMonth(caller, body.period), { status: 201 }),
});
