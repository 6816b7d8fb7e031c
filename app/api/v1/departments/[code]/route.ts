// PATCH /api/v1/departments/{code} — rename, re-parent, change owner, archive or restore (admin)
import { withRoute } from "@/lib/api/route";
import { updateDepartment } from "@/lib/allocation/departments";
import { departmentUpdate } from "@/lib/allocation/schemas";
import type { z } from "zod";

export const dynamic = "force-dynamic";

export const PATCH = withRoute<undefined, z.infer<typeof departmentUpdate>, { code: string }>({
  auth: "session",
  permission: "admin",
  departmentChecked: true,
  body: departmentUpdate,
  handler: ({ caller, body, params }) => updateDepartment(caller, params.code, body),
});
