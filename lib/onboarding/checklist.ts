// The Getting started checklist, each step's state read from real data (nothing is ticked by hand).
import "server-only";
import type { UserCaller } from "@/lib/auth/caller";
import { scopeSql } from "@/lib/analytics/scope";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { hasEvents } from "./latest";

export type Checklist = {
  settings: { done: boolean; name: string; currency: string; timeZone: string };
  departments: { done: boolean; count: number };
  apiKeys: { done: boolean; count: number };
  connectors: { openai: boolean; anthropic: boolean; salesforce: boolean };
  users: { done: boolean; count: number };
  events: { done: boolean };
  /** The steps an organization needs before its dashboards mean anything. */
  complete: boolean;
};

export async function checklist(caller: UserCaller): Promise<Checklist> {
  const [org, settingsSaved, departments, apiKeys, providers, users, events] = await Promise.all([
    orgSettings(),
    // Reviewed once by an admin (saving the settings page writes this audit entry).
    db.auditLog.count({ where: { action: "settings.update" }, take: 1 }),
    db.department.count({ where: { archivedAt: null } }),
    db.apiKey.count({ where: { revokedAt: null } }),
    db.connector.groupBy({ by: ["provider"], where: { enabled: true } }),
    db.user.count({ where: { active: true } }),
    hasEvents(caller),
  ]);
  const connected = new Set(providers.map((p) => p.provider));
  const result = {
    settings: { done: settingsSaved > 0, name: org.name, currency: org.currency, timeZone: org.timeZone },
    departments: { done: departments > 0, count: departments },
    apiKeys: { done: apiKeys > 0, count: apiKeys },
    connectors: { openai: connected.has("openai"), anthropic: connected.has("anthropic"), salesforce: connected.has("salesforce") },
    users: { done: users > 1, count: users },
    events: { done: events },
  };
  return { ...result, complete: result.departments.done && result.apiKeys.done && result.events.done };
}

/** The same `complete` in one round trip, for the sidebar on every page. */
export async function setupComplete(caller: UserCaller): Promise<boolean> {
  const rows = await db.$queryRaw<{ complete: boolean }[]>(Prisma.sql`
    SELECT EXISTS (SELECT 1 FROM departments WHERE archived_at IS NULL)
       AND EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)
       AND EXISTS (SELECT 1 FROM usage_rollup_daily_core r WHERE TRUE ${scopeSql(caller, "r.department_id")}) AS complete`);
  return rows[0]?.complete ?? false;
}
