// Scheduled reports: a daily and a weekly spend digest and a monthly statement, per department or for the
// organization, to the channels subscribed to them. The "reports.send" job ticks hourly; what is due is decided
// here in the organization's time zone (so a time-zone change applies at the next tick), and each report of a
// period and scope is queued once — its deliveries and its once-mark commit together (lib/jobs/once.ts), however
// many instances run the tick or however often it is retried.
import "server-only";
import { TZDate } from "@date-fns/tz";
import { roundCents } from "@/lib/allocation/apportion";
import { Decimal } from "@/lib/allocation/decimal";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { statementOf } from "@/lib/allocation/report";
import type { StatementResponse } from "@/lib/allocation/schemas";
import { once } from "@/lib/jobs/once";
import { orgSettings } from "@/lib/org";
import { addDaysTo, dayIn, monthRange, shiftMonth } from "@/lib/periods";
import type { NotificationKind } from "./schemas";
import { OWNER_KINDS } from "./subscriptions";
import { enqueueDeliveries } from "./webhooks";

export type ReportKind = Extract<NotificationKind, "digest.daily" | "digest.weekly" | "statement.monthly">;
/** One report's period: local days, inclusive. */
export type ReportPeriod = { kind: ReportKind; from: string; to: string };

/** Reports go out from this local hour on (a tick missed by downtime later that day still sends them). */
export const REPORT_HOUR = 7;
/** Lines listed in a report (the total covers all of them). */
const LINES = 10;

/** The first Monday–Friday of a month ("YYYY-MM"); no holiday calendar. */
export function firstWorkingDay(month: string): string {
  let day = `${month}-01`;
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) day = addDaysTo(day, 1);
  return day;
}

/**
 * What is due at `now` in `timeZone`, from REPORT_HOUR local: yesterday's daily digest; on Mondays the weekly
 * digest of the previous Monday–Sunday; on the month's first working day the statement of the previous month.
 */
export function dueReports(timeZone: string, now: Date): ReportPeriod[] {
  if (new TZDate(now.getTime(), timeZone).getHours() < REPORT_HOUR) return [];
  const today = dayIn(timeZone, now);
  const due: ReportPeriod[] = [{ kind: "digest.daily", from: addDaysTo(today, -1), to: addDaysTo(today, -1) }];
  if (new Date(`${today}T00:00:00Z`).getUTCDay() === 1) due.push({ kind: "digest.weekly", from: addDaysTo(today, -7), to: addDaysTo(today, -1) });
  if (today === firstWorkingDay(today.slice(0, 7))) due.push({ kind: "statement.monthly", ...monthRange(shiftMonth(today.slice(0, 7), -1)) });
  return due;
}

export type Report = {
  kind: ReportKind;
  from: string;
  to: string;
  /** The department's code, or null for the organization. */
  department: string | null;
  scopeName: string;
  currency: string;
  /** Spend booked in the period, rounded to cents; the lines are departments (organization) or agents (department). */
  total: string;
  events: number;
  lines: { label: string; cost: string }[];
  /** Monthly statement: the month's budget and the share used; null without a budget or for digests. */
  budget: string | null;
  budgetUsed: string | null;
  /** Events of the period whose cost still awaits an FX rate (counted as 0 above). */
  fxPending: number;
};

/** A showback statement's lines (direct, allocated, adjustments) summed per agent, largest first. */
function agentLines(s: StatementResponse): { label: string; cost: string }[] {
  const byAgent = new Map<string, Decimal>();
  for (const l of s.lines) byAgent.set(l.agent.name, (byAgent.get(l.agent.name) ?? new Decimal(0)).plus(l.amount));
  return [...byAgent].sort(([a, x], [b, y]) => y.comparedTo(x) || a.localeCompare(b)).map(([label, cost]) => ({ label, cost: cost.toFixed(2) }));
}

/** One report's figures, from the daily rollup (days in the organization's time zone). */
export async function buildReport(period: ReportPeriod, departmentId: number | null): Promise<Report> {
  const org = await orgSettings();
  const byDepartment = departmentId === null;
  const lines = await db.$queryRaw<{ label: string; cost: string; events: bigint }[]>(Prisma.sql`
    SELECT ${byDepartment ? Prisma.sql`d.name || ' (' || d.code || ')'` : Prisma.sql`a.name`} AS "label", sum(r.cost)::text AS "cost", sum(r.events) AS "events"
    FROM usage_rollup_daily_core r
    ${byDepartment ? Prisma.sql`JOIN departments d ON d.id = r.department_id` : Prisma.sql`JOIN agents a ON a.id = r.agent_id`}
    WHERE r.day BETWEEN ${period.from}::date AND ${period.to}::date ${byDepartment ? Prisma.empty : Prisma.sql`AND r.department_id = ${departmentId}`}
    GROUP BY 1 ORDER BY sum(r.cost) DESC, 1`);
  const [pending] = await db.$queryRaw<{ n: number }[]>(Prisma.sql`
    SELECT count(*)::int AS n FROM usage_events
    WHERE fx_pending AND (timestamp AT TIME ZONE ${org.timeZone})::date BETWEEN ${period.from}::date AND ${period.to}::date
    ${byDepartment ? Prisma.empty : Prisma.sql`AND department_id = ${departmentId}`}`);
  const department = byDepartment ? null : await db.department.findUniqueOrThrow({ where: { id: departmentId }, select: { code: true, name: true, monthlyBudget: true } });
  // A department's monthly statement is its showback (direct and allocated cost per agent): the attached PDF's figures.
  const showback = period.kind === "statement.monthly" && department ? await statementOf(department.code, period.from.slice(0, 7), null) : null;
  const rows = showback ? agentLines(showback) : lines;
  const total = showback ? new Decimal(showback.department.total) : roundCents(lines.reduce((sum, l) => sum.plus(l.cost), new Decimal(0)));
  const events = showback ? showback.lines.reduce((n, l) => n + Number(l.events), 0) : lines.reduce((n, l) => n + Number(l.events), 0);
  const budgetAmount =
    period.kind !== "statement.monthly" ? null
    : byDepartment ? (await db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { monthlyBudget: true } })).monthlyBudget
    : department!.monthlyBudget;
  const budget = budgetAmount && !budgetAmount.isZero() ? new Decimal(budgetAmount.toString()) : null;
  return {
    kind: period.kind,
    from: period.from,
    to: period.to,
    department: department?.code ?? null,
    scopeName: department ? `${department.name} (${department.code})` : org.name,
    currency: org.currency,
    total: total.toFixed(2),
    events,
    lines: rows.slice(0, LINES).map((l) => ({ label: l.label, cost: roundCents(new Decimal(l.cost)).toFixed(2) })),
    budget: budget?.toFixed(2) ?? null,
    budgetUsed: budget ? total.div(budget).times(100).toFixed(1) : null,
    fxPending: pending?.n ?? 0,
  };
}

/** Queues every report due at `now` to its subscribers, once per kind, period and scope; returns how many were queued. */
export async function sendDueReports(now = new Date(), jobId: string | null = null): Promise<number> {
  const org = await orgSettings();
  let queued = 0;
  for (const period of dueReports(org.timeZone, now)) {
    const subscribed = await db.notificationSubscription.findMany({ where: { kind: period.kind, channel: { active: true } }, select: { departmentId: true }, distinct: ["departmentId"] });
    const scopes = new Set(subscribed.map((s) => s.departmentId));
    // Each owned department's statement goes to its owner by default (lib/alerts/subscriptions.ts, OWNER_KINDS).
    if (OWNER_KINDS.includes(period.kind)) {
      for (const d of await db.department.findMany({ where: { ownerId: { not: null }, archivedAt: null }, select: { id: true }, orderBy: { id: "asc" } })) scopes.add(d.id);
    }
    for (const departmentId of scopes) {
      const key = `report:${period.kind}:${period.from}:${departmentId ?? "org"}`;
      // Already sent by an earlier tick: skip building it (a statement loads the month's allocation). once() below
      // still decides, so a race between two ticks sends it once.
      if (await db.jobEffect.findUnique({ where: { key }, select: { key: true } })) continue;
      const report = await buildReport(period, departmentId);
      const ran = await once(key, jobId, async (tx) => {
        await enqueueDeliveries(tx, period.kind, { report }, now, { kind: period.kind, departmentId });
      });
      if (ran) queued++;
    }
  }
  return queued;
}

