// The allocation page and API: per department direct / allocated / total / budget / forecast, and one
// department's statement (its lines, with the rule behind each allocated share); optionally in a display currency
// (display.ts), with budgets and forecasts left in the organization currency.
import "server-only";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import { ForbiddenError, NotFoundError } from "@/lib/api/errors";
import { orgSettings } from "@/lib/org";
import { Decimal, ZERO, money, sum } from "./decimal";
import type { AllocationLine } from "./allocate";
import { allocationConversion, displayAllocation, unconvertedOf, type DisplayAllocation } from "./display";
import { loadPeriodAllocation, type PeriodAllocation } from "./load";
import { dayIn } from "@/lib/periods";
import type { AllocationDepartment, AllocationResponse, StatementResponse } from "./schemas";
import type { Forecast } from "@/lib/analytics/forecast";

function forecastOf(forecast: Forecast | undefined, adjustments: Decimal, actual: Decimal): string {
  return money(forecast ? new Decimal(forecast.forecast).plus(adjustments) : actual);
}

/** Departments in tree order (depth first, siblings by code), each with its own and its subtree's amounts (`places` decimals). */
export function departmentRows(pa: PeriodAllocation, includeEmptyArchived = false, places = 2): { id: number; row: AllocationDepartment }[] {
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
          direct: money(a?.direct ?? ZERO, places),
          allocated: money(a?.allocated ?? ZERO, places),
          adjustments: money(a?.adjustments ?? ZERO, places),
          total: money(total, places),
          subtreeTotal: money(subtreeTotal, places),
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

/**
 * The rows shown: in the organization currency, or with a display currency its amounts (`display.result`) beside the
 * organization-currency total, budget, % used and forecast (those stay in the organization currency) and what was
 * left unconverted. The departments listed are the organization-currency report's.
 */
function shownRows(pa: PeriodAllocation, display: DisplayAllocation | null, includeEmptyArchived = false): { id: number; row: AllocationDepartment }[] {
  const org = departmentRows(pa, includeEmptyArchived);
  if (!display) return org;
  const converted = new Map(departmentRows({ ...pa, result: display.result, forecast: null }, true, display.places).map((r) => [r.id, r.row]));
  return org.map(({ id, row }) => ({
    id,
    row: { ...converted.get(id)!, budget: row.budget, budgetUsed: row.budgetUsed, forecast: row.forecast, orgTotal: row.total, unconverted: money(unconvertedOf(display, id)) },
  }));
}

const lineKey = (l: AllocationLine) => `${l.agentId}|${l.kind}|${l.ruleId}|${l.reason}|${l.adjusts ?? ""}`;

/** With a display currency, each shown line's organization-currency amount: the same line of the organization's result. */
function orgAmounts(display: DisplayAllocation | null, orgLines: AllocationLine[]): (l: AllocationLine) => { orgAmount?: string | null } {
  if (!display) return () => ({});
  const byKey = new Map(orgLines.map((l) => [lineKey(l), l.amount]));
  return (l) => {
    const amount = byKey.get(lineKey(l));
    return { orgAmount: amount ? money(amount) : null };
  };
}

/** `currency`: a display currency (default: the organization currency); budgets and forecasts stay in the organization's. */
export async function allocationReport(caller: Caller, period: string | undefined, now = new Date(), currency?: string): Promise<AllocationResponse> {
  const org = await orgSettings();
  const today = dayIn(org.timeZone, now);
  const pa = await loadPeriodAllocation(period ?? today.slice(0, 7), { today });
  const display = await displayAllocation(pa, org.currency, currency);
  const scope = departmentScope(caller);
  const inScope = (r: { id: number }) => !scope || scope.includes(r.id);
  const orgRows = departmentRows(pa).filter(inScope).map((r) => r.row);
  const rows = shownRows(pa, display).filter(inScope).map((r) => r.row);
  const result = display?.result ?? pa.result;
  const places = display?.places ?? 2;
  const orgTotal = scope ? sum(orgRows.map((r) => new Decimal(r.total))) : pa.result.total;
  // Adjustments (changes to closed months) are one-off amounts, left out of the run rate.
  const adjustments = sum(orgRows.map((r) => new Decimal(r.adjustments))).plus(
    scope ? ZERO : sum(pa.result.unallocatedLines.filter((l) => l.kind === "adjustment").map((l) => l.amount)),
  );
  const orgAmount = orgAmounts(display, pa.result.unallocatedLines);
  return {
    period: pa.period,
    from: pa.from,
    to: pa.to,
    currency: display?.currency ?? org.currency,
    orgCurrency: display ? org.currency : null,
    conversion: display && (scope ? allocationConversion(display, orgTotal, sum(rows.map((r) => new Decimal(r.unconverted!))), null) : allocationConversion(display, orgTotal, display.unconverted.total, pa.result.unallocated)),
    timeZone: org.timeZone,
    closed: pa.closed,
    total: money(scope ? sum(rows.map((r) => new Decimal(r.total))) : result.total, places),
    unallocated: scope ? null : money(result.unallocated, places),
    unallocatedLines: scope
      ? []
      : result.unallocatedLines.map((l) => {
          const agent = pa.agents.get(l.agentId);
          return {
            agent: { key: agent?.key ?? `#${l.agentId}`, name: agent?.name ?? "Unknown agent" },
            reason: l.kind === "adjustment" ? "adjustment" : (l.reason ?? "unassigned"),
            adjusts: l.adjusts ?? null,
            amount: money(l.amount, places),
            ...orgAmount(l),
          };
        }),
    forecast: scope || !pa.forecast ? money(sum(orgRows.map((r) => new Decimal(r.forecast)))) : forecastOf(pa.forecast.total, adjustments, orgTotal),
    departments: rows,
  };
}

export async function departmentStatement(caller: Caller, code: string, period: string | undefined, now = new Date(), currency?: string): Promise<StatementResponse> {
  return statementOf(code, period, departmentScope(caller), now, currency);
}

/** A department's statement for the departments `scope` allows (null: any; the scheduled statement mail). */
export async function statementOf(code: string, period: string | undefined, scope: number[] | null, now = new Date(), currency?: string): Promise<StatementResponse> {
  const org = await orgSettings();
  const today = dayIn(org.timeZone, now);
  const pa = await loadPeriodAllocation(period ?? today.slice(0, 7), { today });
  const department = [...pa.departments.values()].find((d) => d.code === code);
  if (!department) throw new NotFoundError(`No department with code ${code}`);
  if (scope && !scope.includes(department.id)) throw new ForbiddenError("This department is outside the departments you may see");
  const display = await displayAllocation(pa, org.currency, currency);
  const { row } = shownRows(pa, display, true).find((r) => r.id === department.id)!;
  const lines = (display?.result ?? pa.result).departments.get(department.id)?.lines ?? [];
  const orgAmount = orgAmounts(display, pa.result.departments.get(department.id)?.lines ?? []);
  return {
    period: pa.period,
    from: pa.from,
    to: pa.to,
    currency: display?.currency ?? org.currency,
    orgCurrency: display ? org.currency : null,
    conversion: display && allocationConversion(display, new Decimal(row.orgTotal!), new Decimal(row.unconverted!), null),
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
        amount: money(l.amount, display?.places),
        ...orgAmount(l),
      };
    }),
  };
}
