// Month close: finance freezes a month's chargeback. The figures at closing are stored (snapshot.ts) and read back
// from then on; later changes to the month (rules, shared agents, late events, corrections, re-costing) are carried
// into the next open month as adjustments (carry.ts, load.ts). A month can be closed once it has ended; reopening
// needs a reason and is refused while a later month is closed (that month's frozen adjustments would count twice).
import "server-only";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { assertOrganizationWide } from "@/lib/auth/scope";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { Decimal, money } from "./decimal";
import { loadPeriodAllocation } from "./load";
import { dayIn } from "@/lib/periods";
import type { MonthCloseResponse } from "./schemas";
import { toSnapshot } from "./snapshot";

/** Any constant: closes and reopens run one at a time. */
const CLOSE_LOCK = 0x43_4c_4f_53; // "CLOS"

export async function listCloses(): Promise<MonthCloseResponse[]> {
  const rows = await db.$queryRaw<{ period: string; closedAt: Date; closedBy: string | null; total: string }[]>(Prisma.sql`
    SELECT c.period, c.closed_at AS "closedAt", u.email AS "closedBy", c.snapshot ->> 'total' AS "total"
    FROM allocation_closes c LEFT JOIN users u ON u.id = c.closed_by_id ORDER BY c.period DESC`);
  return rows.map((r) => ({ period: r.period, closedAt: r.closedAt.toISOString(), closedBy: r.closedBy, total: money(new Decimal(r.total)) }));
}

export async function closeMonth(caller: Caller, period: string, now = new Date()): Promise<MonthCloseResponse> {
  assertOrganizationWide(caller, "Month closes");
  const current = dayIn((await orgSettings()).timeZone, now).slice(0, 7);
  if (period >= current) throw new BadRequestError("The month has not ended", [{ path: "period", message: `must be before ${current}: a month can be closed once it has ended` }]);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLOSE_LOCK})`;
    if (await tx.allocationClose.findUnique({ where: { period } })) throw new ConflictError(`${period} is already closed`);
    const pa = await loadPeriodAllocation(period);
    const budgets = new Map([...pa.departments].map(([id, d]) => [id, d.monthlyBudget]));
    const snapshot = toSnapshot(pa.result, budgets, pa.rules);
    const row = await tx.allocationClose.create({ data: { period, closedById: caller.kind === "user" ? caller.id : null, snapshot } });
    const result = { period, closedAt: row.closedAt.toISOString(), closedBy: caller.kind === "user" ? caller.email : null, total: money(pa.result.total) };
    await audit(tx, { actor: caller, action: "allocation_month.close", entity: "allocation_month", entityId: period, after: { total: result.total, unallocated: money(pa.result.unallocated) } });
    return result;
  });
}

export async function reopenMonth(caller: Caller, period: string, reason: string): Promise<void> {
  assertOrganizationWide(caller, "Month closes");
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLOSE_LOCK})`;
    const row = await tx.allocationClose.findUnique({ where: { period } });
    if (!row) throw new NotFoundError(`${period} is not closed`);
    const later = await tx.allocationClose.findFirst({ where: { period: { gt: period } }, orderBy: { period: "asc" } });
    if (later) throw new ConflictError(`${later.period} is closed: reopen it first (it carries ${period}'s adjustments)`);
    await tx.allocationClose.delete({ where: { period } });
    const snapshot = row.snapshot as { total?: string; unallocated?: string };
    await audit(tx, { actor: caller, action: "allocation_month.reopen", entity: "allocation_month", entityId: period, before: { closedAt: row.closedAt, total: snapshot.total, unallocated: snapshot.unallocated }, after: { reason } });
  });
}
