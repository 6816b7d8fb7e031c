import fc from "fast-check";
import { propertyRuns } from "@/tests/helpers/property-runs";
import { describe, expect, it } from "vitest";
import { allocate, type UsageRow } from "./allocate";
import { Decimal } from "./decimal";
import type { Rule } from "./rules";

const d = (v: string | number) => new Decimal(v);
const row = (day: string, agentId: number, departmentId: number, cost: string, events = 1, tasks = 0, quantity = 1): UsageRow => ({
  day, agentId, departmentId, cost: d(cost), events: d(events), tasks: d(tasks), quantity: d(quantity),
});
const codes = new Map([[1, "ENG"], [2, "FIN"], [3, "HR"]]);
const summary = (result: ReturnType<typeof allocate>) =>
  Object.fromEntries([...result.departments.values()].map((x) => [codes.get(x.departmentId), [x.direct.toFixed(2), x.allocated.toFixed(2)]]));

describe("allocate", () => {
  it("books non-shared agents directly and keeps unassigned cost unallocated", () => {
    const result = allocate({ rows: [row("2026-11-01", 10, 1, "5.25"), row("2026-11-02", 10, 2, "1.10"), row("2026-11-02", 11, 0, "0.40")], sharedAgentIds: new Set(), rules: [], departmentCodes: codes });
    expect(result.total.toFixed(2)).toBe("6.75");
    expect(result.unallocated.toFixed(2)).toBe("0.40");
    expect(result.unallocatedLines.map((l) => l.reason)).toEqual(["unassigned"]);
    expect(summary(result)).toEqual({ ENG: ["5.25", "0.00"], FIN: ["1.10", "0.00"], HR: ["0.00", "0.00"] });
  });

  it("fixed: splits by percentages, ignoring where events were booked", () => {
    const rules: Rule[] = [{ id: 7, agentId: 20, method: "fixed", driver: null, effectiveFrom: "2026-01-01", effectiveTo: null, shares: [{ departmentId: 1, percent: d(70) }, { departmentId: 2, percent: d(30) }] }];
    const result = allocate({ rows: [row("2026-11-03", 20, 3, "100.00")], sharedAgentIds: new Set([20]), rules, departmentCodes: codes });
    expect(summary(result)).toEqual({ ENG: ["0.00", "70.00"], FIN: ["0.00", "30.00"], HR: ["0.00", "0.00"] });
    const line = result.departments.get(1)!.lines[0]!;
    expect({ ruleId: line.ruleId, kind: line.kind, share: line.sharePercent!.toFixed(2) }).toEqual({ ruleId: 7, kind: "allocated", share: "70.00" });
  });

  it("even: splits equally and assigns the leftover cent by department code", () => {
    const rules: Rule[] = [{ id: 1, agentId: 20, method: "even", driver: null, effectiveFrom: "2026-01-01", effectiveTo: null, shares: [3, 2, 1].map((id) => ({ departmentId: id, percent: null })) }];
    const result = allocate({ rows: [row("2026-11-03", 20, 0, "10.00")], sharedAgentIds: new Set([20]), rules, departmentCodes: codes });
    // 3.333… each; the one missing cent goes to ENG, the first code.
    expect(summary(result)).toEqual({ ENG: ["0.00", "3.34"], FIN: ["0.00", "3.33"], HR: ["0.00", "3.33"] });
  });

  it("proportional: by each department's share of the driver; unassigned usage does not pay", () => {
    const rules: Rule[] = [{ id: 1, agentId: 20, method: "proportional", driver: "tasks", effectiveFrom: "2026-01-01", effectiveTo: null, shares: [] }];
    const rows = [row("2026-11-03", 20, 1, "30.00", 10, 3), row("2026-11-03", 20, 2, "50.00", 10, 1), row("2026-11-04", 20, 0, "20.00", 5, 0)];
    const result = allocate({ rows, sharedAgentIds: new Set([20]), rules, departmentCodes: codes });
    // 100.00 total cost, tasks ENG 3 : FIN 1.
    expect(summary(result)).toEqual({ ENG: ["0.00", "75.00"], FIN: ["0.00", "25.00"], HR: ["0.00", "0.00"] });
    expect(result.unallocated.toFixed(2)).toBe("0.00");
  });

  it("proportional with no driver among participants stays unallocated", () => {
    const rules: Rule[] = [{ id: 4, agentId: 20, method: "proportional", driver: "tasks", effectiveFrom: "2026-01-01", effectiveTo: null, shares: [] }];
    const result = allocate({ rows: [row("2026-11-03", 20, 1, "12.34", 3, 0)], sharedAgentIds: new Set([20]), rules, departmentCodes: codes });
    expect(result.unallocated.toFixed(2)).toBe("12.34");
    expect(result.unallocatedLines[0]).toMatchObject({ reason: "no_driver", ruleId: 4 });
  });

  it("applies each day's rule: a rule change mid-month splits the month, earlier days keep the old rule", () => {
    const rules: Rule[] = [
      { id: 1, agentId: 20, method: "fixed", driver: null, effectiveFrom: "2026-11-10", effectiveTo: null, shares: [{ departmentId: 1, percent: d(100) }] },
      { id: 2, agentId: 20, method: "fixed", driver: null, effectiveFrom: "2026-11-20", effectiveTo: null, shares: [{ departmentId: 2, percent: d(100) }] },
    ];
    const rows = [row("2026-11-05", 20, 1, "1.00"), row("2026-11-10", 20, 1, "2.00"), row("2026-11-19", 20, 1, "3.00"), row("2026-11-20", 20, 1, "4.00")];
    const result = allocate({ rows, sharedAgentIds: new Set([20]), rules, departmentCodes: codes });
    expect(summary(result)).toEqual({ ENG: ["0.00", "5.00"], FIN: ["0.00", "4.00"], HR: ["0.00", "0.00"] });
    expect(result.unallocatedLines).toMatchObject([{ reason: "no_rule", amount: d("1.00") }]);
  });
});

// Independent check in integers: amounts as BigInt units of 1e-10 (the cost column's scale), shares as exact fractions.
const UNIT = 10n ** 10n;
const CENT_UNITS = 10n ** 8n;

describe("allocate — properties", () => {
  const cost = fc.bigInt({ min: 0n, max: 5_000n * UNIT }).map((u) => new Decimal(u.toString()).div(UNIT.toString()));
  const rowArb = fc.record({ agentId: fc.integer({ min: 1, max: 4 }), departmentId: fc.integer({ min: 0, max: 3 }), day: fc.constantFrom("2026-11-01", "2026-11-15", "2026-11-30"), cost, events: fc.integer({ min: 0, max: 50 }), tasks: fc.integer({ min: 0, max: 50 }) });
  // Fixed percentages with up to 4 decimals that sum to exactly 100: cut points on [0, 1,000,000].
  const percents = fc.uniqueArray(fc.integer({ min: 1, max: 999_999 }), { maxLength: 2 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), 1_000_000];
    return points.slice(1).map((p, i) => p - points[i]!);
  });

  it("conserves the period total to the cent and keeps each department within a cent of its exact share", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), percents, fc.constantFrom("tasks", "events") as fc.Arbitrary<"tasks" | "events">, (raw, pcts, driver) => {
        const rows = raw.map((r) => ({ ...r, events: d(r.events), tasks: d(r.tasks), quantity: d(1) }));
        const rules: Rule[] = [
          { id: 1, agentId: 2, method: "fixed", driver: null, effectiveFrom: "2026-01-01", effectiveTo: null, shares: pcts.map((p, i) => ({ departmentId: i + 1, percent: d(p).div(10_000) })) },
          { id: 2, agentId: 3, method: "even", driver: null, effectiveFrom: "2026-11-10", effectiveTo: null, shares: [1, 2, 3].map((id) => ({ departmentId: id, percent: null })) },
          { id: 3, agentId: 4, method: "proportional", driver, effectiveFrom: "2026-01-01", effectiveTo: null, shares: [] },
        ];
        const result = allocate({ rows, sharedAgentIds: new Set([2, 3, 4]), rules, departmentCodes: codes });

        // Exact expectation per department as a fraction num/den (in units), computed row by row.
        // Keys: "<department id>:direct" | "<department id>:allocated" | "unallocated".
        const expected = new Map<string, { num: bigint; den: bigint }>();
        const add = (key: string, num: bigint, den: bigint) => {
          const e = expected.get(key) ?? { num: 0n, den: 1n };
          expected.set(key, { num: e.num * den + num * e.den, den: e.den * den });
        };
        const units = (v: Decimal) => BigInt(v.times(UNIT.toString()).toFixed(0));
        const driverTotals = new Map<number, bigint>();
        for (const r of rows.filter((r) => r.agentId === 4 && r.departmentId !== 0)) driverTotals.set(r.departmentId, (driverTotals.get(r.departmentId) ?? 0n) + BigInt(r[driver].toString()));
        const driverSum = [...driverTotals.values()].reduce((a, b) => a + b, 0n);
        const agent4Cost = rows.filter((r) => r.agentId === 4).reduce((a, r) => a + units(r.cost), 0n);
        for (const r of rows) {
          const c = units(r.cost);
          if (r.agentId === 1) add(r.departmentId === 0 ? "unallocated" : `${r.departmentId}:direct`, c, 1n);
          else if (r.agentId === 2) pcts.forEach((p, i) => add(`${i + 1}:allocated`, c * BigInt(p), 1_000_000n));
          else if (r.agentId === 3) {
            if (r.day < "2026-11-10") add("unallocated", c, 1n);
            else [1, 2, 3].forEach((id) => add(`${id}:allocated`, c, 3n));
          }
        }
        if (driverSum === 0n) add("unallocated", agent4Cost, 1n);
        else for (const [id, w] of driverTotals) add(`${id}:allocated`, agent4Cost * w, driverSum);

        const totalUnits = rows.reduce((a, r) => a + units(r.cost), 0n);
        const rounded = [...result.departments.values()].map((x) => x.total);
        // Conservation, to the cent, against the period total rounded half-even.
        expect(rounded.reduce((a, b) => a.plus(b), result.unallocated).toFixed(2)).toBe(result.total.toFixed(2));
        expect(units(result.total) - totalUnits <= CENT_UNITS / 2n && totalUnits - units(result.total) <= CENT_UNITS / 2n).toBe(true);
        // Each rounded amount is within one cent of the independent exact amount.
        for (const [key, { num, den }] of expected) {
          const [id, kind] = key.split(":") as [string, "direct" | "allocated" | undefined];
          const got = kind ? result.departments.get(Number(id))![kind] : result.unallocated;
          const diff = units(got) * den - num;
          expect(diff < CENT_UNITS * den && -diff < CENT_UNITS * den).toBe(true);
        }
        // Statements add up: each department's lines sum to its direct/allocated amounts.
        for (const x of result.departments.values()) {
          expect(x.lines.reduce((a, l) => a.plus(l.amount), d(0)).toFixed(2)).toBe(x.total.toFixed(2));
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it("does not depend on the order of the input rows", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }), fc.integer(), (raw, seed) => {
        const rows = raw.map((r) => ({ ...r, events: d(r.events), tasks: d(r.tasks), quantity: d(1) }));
        const rules: Rule[] = [{ id: 1, agentId: 3, method: "even", driver: null, effectiveFrom: "2026-01-01", effectiveTo: null, shares: [1, 2, 3].map((id) => ({ departmentId: id, percent: null })) }];
        const shuffled = [...rows].sort((a, b) => ((rows.indexOf(a) * 7919 + seed) % 97) - ((rows.indexOf(b) * 7919 + seed) % 97));
        const a = allocate({ rows, sharedAgentIds: new Set([3]), rules, departmentCodes: codes });
        const b = allocate({ rows: shuffled, sharedAgentIds: new Set([3]), rules, departmentCodes: codes });
        expect(summary(b)).toEqual(summary(a));
      }),
    );
  });
});
