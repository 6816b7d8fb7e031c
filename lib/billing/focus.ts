// Cost export in the FinOps FOCUS layout (Cost and Usage dataset, columns as in FOCUS 1.2/1.3): one row per
// department × agent for the month, taken from the department chargeback (lib/allocation), so shared agents'
// split cost appears as allocated charges with the Allocated* columns and the rows sum to the month's AI spend.
// Costs are what the organization paid (reported or computed from model prices), so Billed = Effective = List.
import "server-only";
import { loadPeriodAllocation } from "@/lib/allocation/load";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { orgSettings } from "@/lib/org";
import { toCsv } from "@/lib/csv";
import { billingPeriod } from "./period";

export const FOCUS_COLUMNS = [
  "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd",
  "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency",
  "BilledCost", "EffectiveCost", "ListCost", "ContractedCost",
  "ConsumedQuantity", "ConsumedUnit", "PricingQuantity", "PricingUnit",
  "ServiceCategory", "ServiceName", "ProviderName", "PublisherName", "InvoiceIssuerName",
  "ResourceId", "ResourceName", "ResourceType", "Tags",
  "AllocatedMethodId", "AllocatedMethodDetails", "AllocatedResourceId", "AllocatedResourceName",
  "x_CostCenterCode", "x_CostCenterName", "x_AllocationKind",
] as const;

/** A department-scoped caller gets only their departments' rows (no unallocated cost). */
export async function focusCsv(caller: Caller, period: string): Promise<string> {
  const org = await orgSettings();
  const { start, end } = billingPeriod(period, org.timeZone);
  const [allocation, agents] = await Promise.all([
    loadPeriodAllocation(period),
    db.agent.findMany({ select: { id: true, key: true, name: true, platform: true, tags: true } }),
  ]);
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const periodCols = [start.toISOString(), end.toISOString()];
  const scope = departmentScope(caller);
  const lines = [
    ...[...allocation.result.departments.values()]
      .filter((d) => !scope || scope.includes(d.departmentId))
      .flatMap((d) => d.lines.map((line) => ({ departmentId: d.departmentId, line }))),
    ...(scope ? [] : allocation.result.unallocatedLines.map((line) => ({ departmentId: null, line }))),
  ];
  const rows = lines
    .filter(({ line }) => !line.amount.isZero() || !line.events.isZero())
    .map(({ departmentId, line }) => {
      const agent = agentById.get(line.agentId);
      const department = departmentId === null ? undefined : allocation.departments.get(departmentId);
      const rule = line.ruleId === null ? undefined : allocation.rules.get(line.ruleId);
      const allocated = line.kind === "allocated";
      const cost = line.amount.toFixed(2);
      return [
        "agentledger", org.name, org.currency, ...periodCols,
        // A change to a closed month, carried into this one (lib/allocation/close.ts), is a FOCUS adjustment.
        ...periodCols, line.kind === "adjustment" ? "Adjustment" : "Usage", null,
        line.kind === "adjustment" ? `${agent?.name ?? `Agent ${line.agentId}`}: adjustment for ${line.adjusts}` : `${agent?.name ?? `Agent ${line.agentId}`} usage`, "Usage-Based",
        cost, cost, cost, cost,
        line.events.toString(), "Events", line.events.toString(), "Events",
        "AI and Machine Learning", agent?.platform ?? null, agent?.platform ?? null, agent?.platform ?? null, org.name,
        agent?.key ?? String(line.agentId), agent?.name ?? null, "AI Agent", JSON.stringify(Object.fromEntries((agent?.tags ?? []).map((t) => [t, ""]))),
        allocated && rule ? `${rule.method}${rule.driver ? `:${rule.driver}` : ""}` : null,
        allocated && line.sharePercent ? JSON.stringify({ sharePercent: line.sharePercent.toString() }) : null,
        allocated ? (department?.code ?? null) : null,
        allocated ? (department?.name ?? null) : null,
        department?.code ?? null, department?.name ?? null, line.kind,
      ];
    });
  return toCsv([...FOCUS_COLUMNS], rows);
}
