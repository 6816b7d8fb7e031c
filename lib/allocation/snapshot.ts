// A closed month's allocation as JSON (allocation_closes.snapshot) and back: amounts as decimal strings, the
// departments' budgets and the rules its lines point at, so the month reads the same after rules or budgets change.
import { z } from "zod";
import type { AllocationLine, AllocationResult, DepartmentAllocation } from "./allocate";
import { Decimal } from "./decimal";
import { DRIVERS, METHODS, type Rule } from "./rules";

const dec = z.string().regex(/^-?\d+(\.\d+)?$/);
const line = z.object({
  agentId: z.number().int(),
  kind: z.enum(["direct", "allocated", "unallocated", "adjustment"]),
  ruleId: z.number().int().nullable(),
  reason: z.enum(["unassigned", "no_rule", "no_driver"]).nullable(),
  sharePercent: dec.nullable(),
  events: dec,
  quantity: dec,
  amount: dec,
  adjusts: z.string().optional(),
});
const snapshotSchema = z.object({
  version: z.literal(1),
  total: dec,
  unallocated: dec,
  unallocatedLines: z.array(line),
  departments: z.array(z.object({ departmentId: z.number().int(), direct: dec, allocated: dec, adjustments: dec, total: dec, exact: dec, budget: dec.nullable(), lines: z.array(line) })),
  rules: z.array(
    z.object({
      id: z.number().int(),
      agentId: z.number().int(),
      method: z.enum(METHODS),
      driver: z.enum(DRIVERS).nullable(),
      effectiveFrom: z.string(),
      effectiveTo: z.string().nullable(),
      shares: z.array(z.object({ departmentId: z.number().int(), percent: dec.nullable() })),
    }),
  ),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

const lineOut = (l: AllocationLine): Snapshot["unallocatedLines"][number] => ({
  agentId: l.agentId,
  kind: l.kind,
  ruleId: l.ruleId,
  reason: l.reason,
  sharePercent: l.sharePercent?.toString() ?? null,
  events: l.events.toString(),
  quantity: l.quantity.toString(),
  amount: l.amount.toString(),
  ...(l.adjusts ? { adjusts: l.adjusts } : {}),
});
const lineIn = (l: Snapshot["unallocatedLines"][number]): AllocationLine => ({
  agentId: l.agentId,
  kind: l.kind,
  ruleId: l.ruleId,
  reason: l.reason,
  sharePercent: l.sharePercent === null ? null : new Decimal(l.sharePercent),
  events: new Decimal(l.events),
  quantity: new Decimal(l.quantity),
  amount: new Decimal(l.amount),
  ...(l.adjusts ? { adjusts: l.adjusts } : {}),
});

export function toSnapshot(result: AllocationResult, budgets: ReadonlyMap<number, Decimal | null>, rules: ReadonlyMap<number, Rule>): Snapshot {
  const departments = [...result.departments.values()];
  const ruleIds = new Set(departments.flatMap((d) => d.lines).concat(result.unallocatedLines).map((l) => l.ruleId));
  return {
    version: 1,
    total: result.total.toString(),
    unallocated: result.unallocated.toString(),
    unallocatedLines: result.unallocatedLines.map(lineOut),
    departments: departments.map((d) => ({
      departmentId: d.departmentId,
      direct: d.direct.toString(),
      allocated: d.allocated.toString(),
      adjustments: d.adjustments.toString(),
      total: d.total.toString(),
      exact: d.exact.toString(),
      budget: budgets.get(d.departmentId)?.toString() ?? null,
      lines: d.lines.map(lineOut),
    })),
    rules: [...rules.values()]
      .filter((r) => ruleIds.has(r.id))
      .map((r) => ({ ...r, shares: r.shares.map((s) => ({ departmentId: s.departmentId, percent: s.percent?.toString() ?? null })) })),
  };
}

export function fromSnapshot(json: unknown): { result: AllocationResult; budgets: Map<number, Decimal | null>; rules: Map<number, Rule> } {
  const s = snapshotSchema.parse(json);
  const departments = new Map<number, DepartmentAllocation>(
    s.departments.map((d) => [
      d.departmentId,
      {
        departmentId: d.departmentId,
        direct: new Decimal(d.direct),
        allocated: new Decimal(d.allocated),
        adjustments: new Decimal(d.adjustments),
        total: new Decimal(d.total),
        exact: new Decimal(d.exact),
        lines: d.lines.map(lineIn),
      },
    ]),
  );
  return {
    result: { total: new Decimal(s.total), unallocated: new Decimal(s.unallocated), unallocatedLines: s.unallocatedLines.map(lineIn), departments },
    budgets: new Map(s.departments.map((d) => [d.departmentId, d.budget === null ? null : new Decimal(d.budget)])),
    rules: new Map(s.rules.map((r) => [r.id, { ...r, shares: r.shares.map((x) => ({ departmentId: x.departmentId, percent: x.percent === null ? null : new Decimal(x.percent) })) }])),
  };
}
