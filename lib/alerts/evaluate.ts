// Alert evaluation: computes every condition for the current month (organization time zone) and moves
// alerts through open → acknowledged → cleared, so one condition alerts once, not on every ingest.
import "server-only";
import { Decimal } from "@/lib/allocation/decimal";
import { loadPeriodAllocation } from "@/lib/allocation/load";
import { dayIn, shiftMonth } from "@/lib/periods";
import { departmentRows } from "@/lib/allocation/report";
import { shiftDay } from "@/lib/analytics/period";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { orgSettings } from "@/lib/org";
import { roundCents } from "@/lib/allocation/apportion";
import { formatMoney } from "@/lib/format";
import { commitmentView } from "@/lib/billing/burndown";
import { BASELINE_DAYS, DEFAULT_SPEND_PERCENTS, DEFAULT_THRESHOLDS, anomalyCondition, budgetConditions, commitmentConditions, largestContribution, type Condition, type Member, type Threshold } from "./detect";
import { enqueueDeliveries, type Route } from "./webhooks";

/** Any constant: serializes evaluations across instances so two never open the same alert twice. */
const EVALUATION_LOCK = 0x41_4c_45_52; // "ALER"

export type EvaluationResult = { conditions: number; opened: number; cleared: number };

async function budgetAndForecastConditions(period: string, today: string, currency: string): Promise<Condition[]> {
  const [pa, thresholdRows, org] = await Promise.all([
    loadPeriodAllocation(period, { today }),
    db.budgetThreshold.findMany(),
    db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { name: true, monthlyBudget: true, budgetThresholds: true } }),
  ]);
  const rows = departmentRows(pa);
  // The organization's budget: every department's spend and forecast together, on its own (spend) ladder.
  const orgConditions = org.monthlyBudget && !org.monthlyBudget.isZero()
    ? budgetConditions(
        {
          id: null,
          code: "ORG",
          name: org.name,
          total: rows.reduce((sum, { row }) => sum.plus(row.total), new Decimal(0)),
          forecast: rows.reduce((sum, { row }) => sum.plus(row.forecast), new Decimal(0)),
          budget: new Decimal(org.monthlyBudget.toString()),
        },
        org.budgetThresholds.length ? [...org.budgetThresholds.map((percent): Threshold => ({ basis: "spend", percent })), { basis: "forecast", percent: 100 }] : DEFAULT_THRESHOLDS,
        period,
        currency,
      )
    : [];
  return orgConditions.concat(rows.flatMap(({ id, row }) => {
    const info = pa.departments.get(id)!;
    if (info.archived || !info.monthlyBudget || info.monthlyBudget.isZero()) return [];
    const own = thresholdRows.filter((t) => t.departmentId === id).map((t) => ({ basis: t.basis, percent: t.percent }) as Threshold);
    return budgetConditions(
      { id, code: row.code, name: row.name, total: new Decimal(row.total), forecast: new Decimal(row.forecast), budget: info.monthlyBudget },
      own.length ? own : DEFAULT_THRESHOLDS,
      period,
      currency,
    );
  }));
}

/** The ladder of every commitment in force at `now` (its balance and run-out date from the burn-down). */
async function commitmentLadders(now: Date, timeZone: string, currency: string): Promise<Condition[]> {
  const commitments = await db.commitment.findMany({ where: { startsAt: { lte: now }, endsAt: { gt: now } }, include: { customer: { select: { name: true } } }, orderBy: { id: "asc" } });
  const conditions: Condition[] = [];
  for (const c of commitments) {
    const view = await commitmentView(c.customerId, c, timeZone, now);
    const use = {
      id: c.id,
      customer: c.customer.name,
      kind: c.kind === "spend" ? ("spend" as const) : ("credits" as const),
      amount: new Decimal(c.amount.toString()),
      balance: new Decimal(view.balance),
      from: dayIn(timeZone, c.startsAt),
      to: dayIn(timeZone, new Date(c.endsAt.getTime() - 1)),
      runsOutOn: view.projectedExhaustion,
    };
    conditions.push(...commitmentConditions(use, DEFAULT_SPEND_PERCENTS, currency));
  }
  return conditions;
}

/** Spend booked per department (and for the whole organization) on the days before and including `today`. */
async function anomalyConditions(today: string, currency: string): Promise<Condition[]> {
  const from = shiftDay(today, -(BASELINE_DAYS + 1));
  const rows = await db.$queryRaw<{ day: string; departmentId: number; cost: string }[]>(Prisma.sql`
    SELECT to_char(day, 'YYYY-MM-DD') AS "day", department_id AS "departmentId", sum(cost)::text AS "cost"
    FROM usage_rollup_daily_core WHERE day BETWEEN ${from}::date AND ${today}::date GROUP BY 1, 2`);
  const departments = await db.department.findMany({ where: { archivedAt: null }, select: { id: true, code: true, name: true } });
  const subjects = [{ id: null, code: "ORG", name: "The organization" }, ...departments];
  const spendOn = (subjectId: number | null, day: string) =>
    rows.filter((r) => r.day === day && (subjectId === null || r.departmentId === subjectId)).reduce((a, r) => a.plus(r.cost), new Decimal(0));
  // Yesterday is complete; today may already be over the line before it ends.
  const conditions = [shiftDay(today, -1), today].flatMap((day) =>
    subjects.flatMap((s) => {
      const baseline = Array.from({ length: BASELINE_DAYS }, (_, i) => spendOn(s.id, shiftDay(day, -(i + 1))));
      const c = anomalyCondition(s, day, baseline, spendOn(s.id, day), currency);
      return c ? [{ c, s, day }] : [];
    }),
  );
  // Only anomalies that hold say what drove them (one more query each, not one per subject and day).
  return Promise.all(conditions.map(async ({ c, s, day }) => (c.active ? withDriver(c, s, day, currency) : c)));
}

/** Each agent's, model's and (for the organization) department's spend on `day` and over its baseline days. */
async function anomalyMembers(departmentId: number | null, day: string): Promise<Member[]> {
  const from = shiftDay(day, -BASELINE_DAYS);
  const within = Prisma.sql`r.day BETWEEN ${from}::date AND ${day}::date ${departmentId === null ? Prisma.empty : Prisma.sql`AND r.department_id = ${departmentId}`}`;
  const sums = Prisma.sql`coalesce(sum(r.cost) FILTER (WHERE r.day = ${day}::date), 0)::text AS "spend", coalesce(sum(r.cost) FILTER (WHERE r.day < ${day}::date), 0)::text AS "baselineTotal"`;
  const rows = await db.$queryRaw<{ dimension: Member["dimension"]; key: string; label: string; spend: string; baselineTotal: string }[]>(Prisma.sql`
    SELECT 'agent' AS "dimension", a.key AS "key", a.name AS "label", ${sums} FROM usage_rollup_daily_core r JOIN agents a ON a.id = r.agent_id WHERE ${within} GROUP BY a.key, a.name
    UNION ALL
    SELECT 'model', r.model, r.model, ${sums} FROM usage_rollup_daily_core r WHERE ${within} AND r.model <> '' GROUP BY r.model
    ${departmentId === null ? Prisma.sql`UNION ALL SELECT 'department', d.code, d.name, ${sums} FROM usage_rollup_daily_core r JOIN departments d ON d.id = r.department_id WHERE ${within} GROUP BY d.code, d.name` : Prisma.empty}
    ORDER BY 1, 2`);
  return rows.map((r) => ({ ...r, spend: new Decimal(r.spend), baselineTotal: new Decimal(r.baselineTotal) }));
}

/** The anomaly's message names its driver, and its link opens Usage filtered to that driver on that day. */
async function withDriver(c: Condition, s: { id: number | null; code: string }, day: string, currency: string): Promise<Condition> {
  const driver = largestContribution(await anomalyMembers(s.id, day));
  if (!driver) return c;
  const params = new URLSearchParams({ from: day, to: day, ...(s.id === null ? {} : { department: s.code }), [driver.dimension]: driver.key, groupBy: driver.dimension });
  const m = (v: Decimal) => formatMoney(roundCents(v).toFixed(2), currency);
  return {
    ...c,
    message: `${c.message}. Driven by ${driver.dimension} ${driver.label}: ${m(driver.spend)} that day, ${m(driver.change)} above its average day`,
    link: `/usage?${params.toString()}`,
  };
}

function alertPayload(a: { id: number; key: string; kind: string; period: string; status: string; message: string; value: Prisma.Decimal; threshold: Prisma.Decimal; openedAt: Date }, department: string | null, link?: string) {
  return { id: a.id, key: a.key, kind: a.kind, department, period: a.period, status: a.status, message: a.message, value: a.value.toFixed(2), threshold: a.threshold.toFixed(2), openedAt: a.openedAt.toISOString(), ...(link ? { link } : {}) };
}

const routeOf = (a: { kind: string; departmentId: number | null }): Route => ({ kind: a.kind as Route["kind"], departmentId: a.departmentId });

export async function evaluateAlerts(now = new Date()): Promise<EvaluationResult> {
  const org = await orgSettings();
  const today = dayIn(org.timeZone, now);
  // The previous month too: its figures still move early in the month (late events, corrections, a budget set
  // afterwards), and it is the month finance reviews then. Evaluating only the current month left a department
  // over budget last month with no alert at all (issue 19: Marketing at 103.3 % of November, "No open alerts").
  const periods = [shiftMonth(today.slice(0, 7), -1), today.slice(0, 7)];
  const conditions = [
    ...(await budgetAndForecastConditions(periods[0]!, today, org.currency)),
    ...(await budgetAndForecastConditions(periods[1]!, today, org.currency)),
    ...(await anomalyConditions(today, org.currency)),
    ...(await commitmentLadders(now, org.timeZone, org.currency)),
  ];
  const codes = new Map((await db.department.findMany({ select: { id: true, code: true } })).map((d) => [d.id, d.code]));
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${EVALUATION_LOCK})::text`;
      const existing = new Map((await tx.alert.findMany({ where: { key: { in: conditions.map((c) => c.key) } } })).map((a) => [a.key, a]));
      let opened = 0;
      let cleared = 0;
      for (const c of conditions) {
        const alert = existing.get(c.key);
        const department = c.departmentId === null ? null : (codes.get(c.departmentId) ?? null);
        const data = { message: c.message, value: c.value.toFixed(2), threshold: c.threshold.toFixed(2), lastEvaluatedAt: now };
        if (c.active && (!alert || alert.status === "cleared")) {
          const row = alert
            ? await tx.alert.update({ where: { id: alert.id }, data: { ...data, status: "open", openedAt: now, acknowledgedAt: null, acknowledgedById: null, clearedAt: null } })
            : await tx.alert.create({ data: { ...data, key: c.key, kind: c.kind, departmentId: c.departmentId, period: c.period, openedAt: now } });
          await enqueueDeliveries(tx, "alert.opened", { alert: alertPayload(row, department, c.link) }, now, routeOf(row));
          opened++;
        } else if (c.active && alert) {
          await tx.alert.update({ where: { id: alert.id }, data });
        } else if (!c.active && alert && alert.status !== "cleared") {
          const row = await tx.alert.update({ where: { id: alert.id }, data: { ...data, status: "cleared", clearedAt: now } });
          await enqueueDeliveries(tx, "alert.cleared", { alert: alertPayload(row, department) }, now, routeOf(row));
          cleared++;
        }
      }
      // A budget or forecast alert of these months whose condition is no longer evaluated at all (its threshold
      // removed, the budget unset, the department archived) no longer holds either: cleared, not left open forever.
      const evaluated = conditions.map((c) => c.key);
      const orphans = await tx.alert.findMany({ where: { kind: { in: ["budget", "forecast"] }, period: { in: periods }, status: { not: "cleared" }, key: { notIn: evaluated } } });
      for (const alert of orphans) {
        const row = await tx.alert.update({ where: { id: alert.id }, data: { status: "cleared", clearedAt: now, lastEvaluatedAt: now } });
        await enqueueDeliveries(tx, "alert.cleared", { alert: alertPayload(row, alert.departmentId === null ? null : (codes.get(alert.departmentId) ?? null)) }, now, routeOf(row));
        cleared++;
      }
      return { conditions: conditions.length, opened, cleared };
    },
    { timeout: 30_000 },
  );
}
