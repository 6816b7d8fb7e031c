// The allocation page and API: per department direct / allocated / total / budget / forecast, and one
// department's statement (its lines, with the rule behind each allocated share).
import "server-only";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import { ForbiddenError, NotFoundError } from "@/lib/api/errors";
import { orgSettings } from "@/lib/org";
import { Decimal, ZERO, money, sum } from "./decimal";
import { loadPeriodAllocation, type PeriodAllocation } from "./load";
import { dayIn } from "@/lib/periods";
import type { AllocationDepartment, AllocationResponse, StatementResponse } from "./schemas";
import type { Forecast } from "@/lib/analytics/forecast";

function forecastOf(forecast: Forecast | undefined, adjustments: Decimal, actual: Decimal): string {
  return money(forecast ? new Decimal(forecast.forecast).plus(adjustments) : actual);
}

/** Departments in tree order (depth first, siblings by code), each with its own and its subtree's amounts. */
export function departmentRows(pa: PeriodAllocation, includeEmptyArchived = false): { id: number; row: AllocationDepartment }[] {
  const children = new Map<number | null, number[]>();
  for (const d of [...pa.departments.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    const parent = d.parentId !== null && pa.departments.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d.id]);
  }
  const totalOf = (id: number) => pa.result.departments.get(id)?.total ?? ZERO;
  const subtree = (id: number): Decimal => totalOf(id).plus(sum((children.get(id) ?? []).map(subtree)));
  const rows: { id: number; row: AllocationDepartment }[] = [];
  const visit = (id: number) => {
    const d = pa.departments.get(id)!;
    const a = pa.result.departments.get(id);
    const total = a?.total ?? ZERO;
    const subtreeTotal = subtree(id);
    // Archived departments keep their history: listed while they (or their children) carry cost.
    if (!d.archived || !subtreeTotal.isZero() || includeEmptyArchived) {
      rows.push({
        id,
        row: {
          code: d.code,
          name: d.name,
          parent: d.parentId === null ? null : (pa.departments.get(d.parentId)?.code ?? null),
          archived: d.archived,
          direct: money(a?.direct ?? ZERO),
          allocated: money(a?.allocated ?? ZERO),
          adjustments: money(a?.adjustments ?? ZERO),
          total: money(total),
          subtreeTotal: money(subtreeTotal),
          budget: d.monthlyBudget ? money(d.monthlyBudget) : null,
          budgetUsed: d.monthlyBudget && d.monthlyBudget.greaterThan(0) ? total.div(d.monthlyBudget).times(100).toFixed(2) : null,
          // Without a forecast (a closed month, or a loader not given today), the month's actual figure. Adjustments
          // (changes to closed months) are one-off amounts: added to the forecast of the month's own usage.
          forecast: forecastOf(pa.forecast?.departments.get(id), a?.adjustments ?? ZERO, total),
        },
      });
    }
    for (const child of children.get(id) ?? []) visit(child);
  };
  for (const root of children.get(null) ?? []) visit(root);
  return rows;
}

export async function allocationReport(caller: Caller, period: string | undefined, now = new Date()): Promise<AllocationResponse> {
  const org = await orgSettings();
  const today = dayIn(org.timeZone, now);
  const pa = await loadPeriodAllocation(period ?? today.slice(0, 7), { today });
  const scope = departmentScope(caller);
  const rows = departmentRows(pa).filter((r) => !scope || scope.includes(r.id)).map((r) => r.row);
  const total = scope ? sum(rows.map((r) => new Decimal(r.total))) : pa.result.total;
  // Adjustments (changes to closed months) are one-off amounts, left out of the run rate.
  const adjustments = sum(rows.map((r) => new Decimal(r.adjustments))).plus(
    scope ? ZERO : sum(pa.result.unallocatedLines.filter((l) => l.kind === "adjustment").map((l) => l.amount)),
  );
  return {
    period: pa.period,
    from: pa.from,
    to: pa.to,
    currency: org.currency,
    timeZone: org.timeZone,
    closed: pa.closed,
    total: money(total),
    unallocated: scope ? null : money(pa.result.unallocated),
    unallocatedLines: scope
      ? []
      : pa.result.unallocatedLines.map((l) => {
          const agent = pa.agents.get(l.agentId);
          return {
            agent: { key: agent?.key ?? `#${l.agentId}`, name: agent?.name ?? "Unknown agent" },
            reason: l.kind === "adjustment" ? "adjustment" : (l.reason ?? "unassigned"),
            adjusts: l.adjusts ?? null,
            amount: money(l.amount),
          };
        }),
    forecast: scope || !pa.forecast ? money(sum(rows.map((r) => new Decimal(r.forecast)))) : forecastOf(pa.forecast.total, adjustments, total),
    departments: rows,
  };
}

export async function departmentStatement(caller: Caller, code: string, period: string | undefined, now = new Date()): Promise<StatementResponse> {
  return statementOf(code, period, departmentScope(caller), now);
}

/** A department's statement for the departments `scope` allows (null: any; the scheduled statement mail). */
export async function statementOf(code: string, period: string | undefined, scope: number[] | null, now = new Date()): Promise<StatementResponse> {
  const org = await orgSettings();
  const today = dayIn(org.timeZone, now);
  const pa = await loadPeriodAllocation(period ?? today.slice(0, 7), { today });
  const department = [...pa.departments.values()].find((d) => d.code === code);
  if (!department) throw new NotFoundError(`No department with code ${code}`);
  if (scope && !scope.includes(department.id)) throw new ForbiddenError("This department is outside the departments you may see");
  const { row } = departmentRows(pa, true).find((r) => r.id === department.id)!;
  const lines = pa.result.departments.get(department.id)?.lines ?? [];
  return {
    period: pa.period,
    from: pa.from,
    to: pa.to,
    currency: org.currency,
    closed: pa.closed,
    department: row,
    lines: lines.map((l) => {
      const agent = pa.agents.get(l.agentId);
      const rule = l.ruleId === null ? undefined : pa.rules.get(l.ruleId);
      return {
        agent: { key: agent?.key ?? `#${l.agentId}`, name: agent?.name ?? "Unknown agent" },
        kind: l.kind === "allocated" || l.kind === "adjustment" ? l.kind : "direct",
        adjusts: l.adjusts ?? null,
        rule: rule ? { id: rule.id, method: rule.method, driver: rule.driver, effectiveFrom: rule.effectiveFrom, effectiveTo: rule.effectiveTo } : null,
        sharePercent: l.sharePercent ? l.sharePercent.toFixed(4) : null,
        events: l.events.toFixed(0),
        quantity: l.quantity.toString(),
        amount: money(l.amount),
      };
    }),
  };
}
