// What each role may do. Checked on the server for every route and page; the UI only mirrors it.
import type { Role } from "@/lib/generated/prisma/enums";

export type Permission =
  | "read" // dashboards, usage, workload, ROI, allocation, invoices (read)
  | "ingest" // push events (API keys)
  | "check" // budget checks (API keys; ingest keys may check too)
  | "billing:write" // generate drafts, adjust, finalize, void invoices
  | "budgets:write" // budgets, alert thresholds
  | "baselines:write" // task type baselines (ROI assumptions)
  | "admin"; // users, keys, departments, agents, prices, settings

const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: ["read", "billing:write", "budgets:write", "baselines:write", "admin"],
  finance: ["read", "billing:write", "budgets:write", "baselines:write"],
  ops: ["read"],
  viewer: ["read"],
};

export const apiKeyScopes = ["ingest", "read", "check"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export function roleAllows(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}
