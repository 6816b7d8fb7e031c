// POST /api/v1/allocation-closes/{period}/reopen — reopens a closed month, with a reason (audited; finance, admin)
import { withRoute } from "@/lib/api/route";
import { reopenMonth } from "@/lib/allocation/close";
import { NotFoundError } from "@/lib/api/errors";
import { monthString } from "@/lib/allocation/period";
import { monthReopen } from "@/lib/allocation/schemas";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, { reason: string }, { period: string }>({
  auth: "session",
  permission: "budgets:write",
  body: monthReopen,
  handler: async ({ caller, body, params }) => {
    if (!monthString.safeParse(params.period).success) throw new NotFoundError(`${params.period} is not a month`);
    await reopenMonth(caller, params.period, body.reason);
    return new Response(null, { status: 204 });
  },
});
