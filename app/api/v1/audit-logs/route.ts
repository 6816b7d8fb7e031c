// GET /api/v1/audit-logs — the append-only audit trail, newest first, filtered by actor, action, entity and time
import { listAuditLog } from "@/lib/admin/audit-log";
import { auditQuery } from "@/lib/admin/schemas";
import { withRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ auth: "session", permission: "admin", query: auditQuery, handler: async ({ query }) => listAuditLog(query) });
