// POST /api/v1/departments/{code}/agents — make this department an agent's default (future events are booked to it) (admin)
import { withRoute } from "@/lib/api/route";
import { assignAgent } from "@/lib/allocation/departments";
import { agentAssignment } from "@/lib/allocation/schemas";
import type { z } from "zod";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, z.infer<typeof agentAssignment>, { code: string }>({
  auth: "session",
  permission: "admin",
  departmentChecked: true,
  body: agentAssignment,
  handler: ({ caller, body, params }) => assignAgent(caller, params.code, body),
});
