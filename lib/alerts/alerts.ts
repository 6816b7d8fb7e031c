// Listing and acknowledging alerts; scoped users see only their departments' alerts.
import "server-only";
import { audit } from "@/lib/audit";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import { assertDepartmentsInScope } from "@/lib/auth/scope";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AlertView } from "./schemas";

const include = { department: { select: { code: true, name: true } } } satisfies Prisma.AlertInclude;

function view(a: Prisma.AlertGetPayload<{ include: typeof include }>): AlertView {
  return {
    id: a.id,
    key: a.key,
    kind: a.kind as AlertView["kind"],
    department: a.department,
    period: a.period,
    status: a.status as AlertView["status"],
    message: a.message,
    value: a.value.toFixed(2),
    threshold: a.threshold.toFixed(2),
    openedAt: a.openedAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    clearedAt: a.clearedAt?.toISOString() ?? null,
  };
}

function scopeWhere(caller: Caller): Prisma.AlertWhereInput {
  const scope = departmentScope(caller);
  return scope ? { departmentId: { in: scope } } : {};
}

export async function listAlerts(caller: Caller, status: AlertView["status"] | undefined, limit: number, period?: string): Promise<AlertView[]> {
  const rows = await db.alert.findMany({ where: { ...scopeWhere(caller), ...(status ? { status } : {}), ...(period ? { period: { startsWith: period } } : {}) }, include, orderBy: [{ openedAt: "desc" }, { id: "desc" }], take: limit });
  return rows.map(view);
}

export async function acknowledgeAlert(caller: Caller, id: number): Promise<AlertView> {
  return db.$transaction(async (tx) => {
    const alert = await tx.alert.findUnique({ where: { id }, include });
    assertDepartmentsInScope(caller, [alert?.departmentId], `Alert ${id}`);
    if (!alert) throw new NotFoundError(`No alert ${id}`);
    if (alert.status === "cleared") throw new ConflictError(`Alert ${id} is already cleared`);
    if (alert.status === "acknowledged") return view(alert);
    const updated = await tx.alert.update({
      where: { id },
      data: { status: "acknowledged", acknowledgedAt: new Date(), acknowledgedById: caller.kind === "user" ? caller.id : null },
      include,
    });
    await audit(tx, { actor: caller, action: "alert.acknowledge", entity: "alert", entityId: id, before: { status: alert.status }, after: { status: "acknowledged" } });
    return view(updated);
  });
}
