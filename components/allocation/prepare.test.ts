import { describe, expect, it } from "vitest";
import type { AllocationDepartment } from "@/lib/allocation/schemas";
import { prepareAllocationBars } from "./prepare";

const dept = (code: string, direct: string, allocated: string, budget: string | null = null): AllocationDepartment => ({
  code, name: code, parent: null, archived: false, direct, allocated, adjustments: "0.00", total: (Number(direct) + Number(allocated)).toFixed(2), subtreeTotal: "0.00", budget, budgetUsed: null, forecast: "0.00",
});

describe("prepareAllocationBars", () => {
  it("orders by total, ties by code, and folds the tail into Other", () => {
    const bars = prepareAllocationBars([dept("B", "1.00", "1.00"), dept("A", "2.00", "0.00", "10.00"), dept("C", "5.00", "0.50"), dept("D", "0.10", "0.00")], 2);
    expect(bars).toEqual([
      { code: "C", label: "C", direct: 5, allocated: 0.5 },
      { code: "A", label: "A", direct: 2, allocated: 0 },
      { code: null, label: "Other (2)", direct: 1.1, allocated: 1 },
    ]);
  });
});
