// Carrying changes to closed months into an open one, as adjustment lines — the chargeback counterpart of billing's
// late_adjustment (lib/billing/late.ts): a closed month's figures never change; the first open month after it
// carries, per department (or unallocated) and agent, what the closed month comes to now, minus what it showed
// when it was closed, minus what other months already carried for it. All amounts are in cents already, so the
// differences are exact and Σ adjustments = the closed month's total now − its total when closed − carried.
import type { AllocationLine, AllocationResult } from "./allocate";
import { Decimal, ZERO, sum } from "./decimal";

/** The unallocated "department" in keys and in `CarrySource.carried`. */
export const UNALLOCATED_ID = -1;

export type CarrySource = {
  period: string;
  /** The closed month computed now. */
  now: AllocationResult;
  /** The closed month as it was closed. */
  frozen: AllocationResult;
  /** Adjustment lines for `period` already frozen in other closed months, with the department they were booked to. */
  carried: { departmentId: number; line: AllocationLine }[];
};

function ownAmounts(result: AllocationResult, into: Map<string, Decimal>, sign: 1 | -1) {
  const add = (departmentId: number, l: AllocationLine) => {
    if (l.kind === "adjustment") return;
    const key = `${departmentId}|${l.agentId}`;
    into.set(key, (into.get(key) ?? ZERO).plus(sign === 1 ? l.amount : l.amount.neg()));
  };
  for (const d of result.departments.values()) for (const l of d.lines) add(d.departmentId, l);
  for (const l of result.unallocatedLines) add(UNALLOCATED_ID, l);
}

/** Adjustment lines (with their department, UNALLOCATED_ID for unallocated) that one closed month carries. */
export function adjustmentLines(source: CarrySource): { departmentId: number; line: AllocationLine }[] {
  const diff = new Map<string, Decimal>();
  ownAmounts(source.now, diff, 1);
  ownAmounts(source.frozen, diff, -1);
  for (const { departmentId, line } of source.carried) {
    const key = `${departmentId}|${line.agentId}`;
    diff.set(key, (diff.get(key) ?? ZERO).minus(line.amount));
  }
  return [...diff.entries()]
    .filter(([, amount]) => !amount.isZero())
    .map(([key, amount]): { departmentId: number; line: AllocationLine } => {
      const [departmentId, agentId] = key.split("|").map(Number) as [number, number];
      return {
        departmentId,
        line: { agentId, kind: "adjustment", ruleId: null, reason: null, sharePercent: null, events: ZERO, quantity: ZERO, amount, adjusts: source.period },
      };
    })
    .sort((a, b) => a.departmentId - b.departmentId || a.line.agentId - b.line.agentId);
}

/** `open` with the adjustments added: to each department's lines, adjustments and total, to unallocated and to the total. */
export function withAdjustments(open: AllocationResult, adjustments: { departmentId: number; line: AllocationLine }[]): AllocationResult {
  if (adjustments.length === 0) return open;
  const departments = new Map([...open.departments].map(([id, d]) => [id, { ...d, lines: [...d.lines] }]));
  const unallocatedLines = [...open.unallocatedLines];
  for (const { departmentId, line } of adjustments) {
    if (departmentId === UNALLOCATED_ID) {
      unallocatedLines.push(line);
      continue;
    }
    const d = departments.get(departmentId) ?? { departmentId, direct: ZERO, allocated: ZERO, adjustments: ZERO, total: ZERO, exact: ZERO, lines: [] as AllocationLine[] };
    d.lines.push(line);
    d.adjustments = d.adjustments.plus(line.amount);
    d.total = d.total.plus(line.amount);
    departments.set(departmentId, d);
  }
  const unallocatedAdjustment = sum(adjustments.filter((a) => a.departmentId === UNALLOCATED_ID).map((a) => a.line.amount));
  return {
    total: open.total.plus(sum(adjustments.map((a) => a.line.amount))),
    unallocated: open.unallocated.plus(unallocatedAdjustment),
    unallocatedLines,
    departments,
  };
}
