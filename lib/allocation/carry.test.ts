import { describe, expect, it } from "vitest";
import type { AllocationLine, AllocationResult } from "./allocate";
import { UNALLOCATED_ID, adjustmentLines, withAdjustments } from "./carry";
import { Decimal, ZERO } from "./decimal";

const d = (v: string) => new Decimal(v);
const line = (agentId: number, kind: AllocationLine["kind"], amount: string, adjusts?: string): AllocationLine => ({
  agentId, kind, ruleId: null, reason: kind === "unallocated" ? "no_rule" : null, sharePercent: null, events: ZERO, quantity: ZERO, amount: d(amount), ...(adjusts ? { adjusts } : {}),
});
function result(departments: Record<number, AllocationLine[]>, unallocated: AllocationLine[] = []): AllocationResult {
  const map = new Map(
    Object.entries(departments).map(([id, lines]) => {
      const total = lines.reduce((a, l) => a.plus(l.amount), ZERO);
      return [Number(id), { departmentId: Number(id), direct: total, allocated: ZERO, adjustments: ZERO, total, exact: total, lines }];
    }),
  );
  const u = unallocated.reduce((a, l) => a.plus(l.amount), ZERO);
  return { total: [...map.values()].reduce((a, x) => a.plus(x.total), u), unallocated: u, unallocatedLines: unallocated, departments: map };
}

describe("adjustmentLines", () => {
  it("carries what changed per department and agent, minus what was already carried, and conserves the total", () => {
    const frozen = result({ 1: [line(7, "direct", "182.75")], 2: [line(8, "direct", "41.17")] });
    const now = result({ 1: [line(7, "allocated", "109.65")], 2: [line(7, "allocated", "73.10"), line(8, "direct", "51.18")] });
    const carried = [{ departmentId: 2, line: line(8, "adjustment", "10.01", "2026-11") }];
    const lines = adjustmentLines({ period: "2026-11", now, frozen, carried });
    expect(lines.map((l) => [l.departmentId, l.line.agentId, l.line.amount.toString(), l.line.adjusts])).toEqual([
      [1, 7, "-73.1", "2026-11"],
      [2, 7, "73.1", "2026-11"],
    ]);
    expect(adjustmentLines({ period: "2026-11", now: frozen, frozen, carried: [] })).toEqual([]);
  });

  it("adds adjustments to departments, unallocated and the total without touching direct or allocated", () => {
    const open = result({ 1: [line(7, "direct", "5.00")] }, [line(9, "unallocated", "2.00")]);
    const out = withAdjustments(open, [
      { departmentId: 1, line: line(7, "adjustment", "-1.50", "2026-10") },
      { departmentId: UNALLOCATED_ID, line: line(9, "adjustment", "0.25", "2026-10") },
      { departmentId: 3, line: line(9, "adjustment", "1.00", "2026-10") },
    ]);
    expect(out.departments.get(1)).toMatchObject({ direct: d("5.00"), adjustments: d("-1.50"), total: d("3.50") });
    expect(out.departments.get(3)).toMatchObject({ direct: ZERO, adjustments: d("1.00"), total: d("1.00") });
    expect(out.unallocated.toString()).toBe("2.25");
    expect(out.total.toString()).toBe("6.75");
    expect(open.departments.get(1)!.lines).toHaveLength(1);
  });
});
