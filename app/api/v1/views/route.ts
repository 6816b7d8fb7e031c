// GET /api/v1/views — the caller's saved views and those shared with the organization; POST saves one
import { withRoute } from "@/lib/api/route";
import type { UserCaller } from "@/lib/auth/caller";
import { viewCreate, viewsQuery } from "@/lib/views/schemas";
import { createView, listViews } from "@/lib/views/views";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "session",
  permission: "read",
  query: viewsQuery,
  handler: async ({ caller, query }) => listViews(caller as UserCaller, query.path),
});

// A view is the caller's own record: department-scoped users save views too (the pages apply their scope).
export const POST = withRoute({
  auth: "session",
  permission: "read",
  departmentChecked: true,
  body: viewCreate,
  handler: async ({ caller, body }) => createView(caller as UserCaller, body),
});
