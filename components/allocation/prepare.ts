// Pure preparation of the allocation chart: the largest departments by total, the rest folded into "Other".
import type { AllocationDepartment } from "@/lib/allocation/schemas";

/** `code` is the department's (null for "Other"). */
export type AllocationBar = { code: string | null; label: string; direct: number; allocated: number };

export function prepareAllocationBars(departments: readonly AllocationDepartment[], top = 10): AllocationBar[] {
  const sorted = [...departments].sort((a, b) => Number(b.total) - Number(a.total) || a.code.localeCompare(b.code));
  const bars: AllocationBar[] = sorted.slice(0, top).map((d) => ({ code: d.code, label: d.code, direct: Number(d.direct), allocated: Number(d.allocated) }));
  const rest = sorted.slice(top);
  if (rest.length) {
    bars.push({ code: null, label: `Other (${rest.length})`, direct: rest.reduce((a, d) => a + Number(d.direct), 0), allocated: rest.reduce((a, d) => a + Number(d.allocated), 0) });
  }
  return bars;
}
