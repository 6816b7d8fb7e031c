import { describe, expect, it } from "vitest";
import { Decimal } from "./decimal";
import { overlapProblems, ruleOn, ruleProblems, type Rule } from "./rules";

const rule = (id: number, effectiveFrom: string, agentId = 1, effectiveTo: string | null = null): Rule => ({ id, agentId, method: "even", driver: null, effectiveFrom, effectiveTo, shares: [{ departmentId: 1, percent: null }] });

describe("ruleOn", () => {
  const rules = [rule(1, "2026-01-01"), rule(2, "2026-03-15"), rule(3, "2026-02-01", 2)];
  it("picks the latest rule in force on the day", () => {
    expect(ruleOn(rules, 1, "2025-12-31")).toBeNull();
    expect(ruleOn(rules, 1, "2026-01-01")?.id).toBe(1);
    expect(ruleOn(rules, 1, "2026-03-14")?.id).toBe(1);
    expect(ruleOn(rules, 1, "2026-03-15")?.id).toBe(2);
    expect(ruleOn(rules, 2, "2026-12-01")?.id).toBe(3);
  });

  it("leaves the days after an ended rule without a rule, until the next version", () => {
    const ended = [rule(1, "2026-01-01", 1, "2026-01-31"), rule(2, "2026-03-01")];
    expect(ruleOn(ended, 1, "2026-01-31")?.id).toBe(1);
    expect(ruleOn(ended, 1, "2026-02-01")).toBeNull();
    expect(ruleOn(ended, 1, "2026-03-01")?.id).toBe(2);
  });
});

describe("overlapProblems", () => {
  const v = (id: number, effectiveFrom: string, effectiveTo: string | null = null) => ({ id, effectiveFrom, effectiveTo });
  it("accepts a new version after an open-ended one (it supersedes it) and one that ends before the next", () => {
    expect(overlapProblems({ effectiveFrom: "2026-03-01", effectiveTo: null }, [v(1, "2026-01-01")])).toEqual([]);
    expect(overlapProblems({ effectiveFrom: "2026-01-01", effectiveTo: "2026-02-28" }, [v(2, "2026-03-01")])).toEqual([]);
  });
  it("refuses the same start, a start inside an ended version, an end past the next start, an end before the start", () => {
    expect(overlapProblems({ effectiveFrom: "2026-01-01", effectiveTo: null }, [v(1, "2026-01-01")]).map((p) => p.path)).toEqual(["effectiveFrom"]);
    expect(overlapProblems({ effectiveFrom: "2026-02-01", effectiveTo: null }, [v(1, "2026-01-01", "2026-02-10")]).map((p) => p.message)).toEqual([
      "overlaps version #1, which runs until 2026-02-10",
    ]);
    expect(overlapProblems({ effectiveFrom: "2026-01-01", effectiveTo: "2026-03-01" }, [v(2, "2026-03-01")]).map((p) => p.path)).toEqual(["effectiveTo"]);
    expect(overlapProblems({ effectiveFrom: "2026-02-01", effectiveTo: "2026-01-01" }, []).map((p) => p.path)).toEqual(["effectiveTo"]);
  });
  it("ignores the version being edited", () => {
    expect(overlapProblems({ id: 1, effectiveFrom: "2026-01-01", effectiveTo: "2026-01-31" }, [v(1, "2026-01-01")])).toEqual([]);
  });
});

describe("ruleProblems", () => {
  const pct = (v: string) => new Decimal(v);
  it("accepts valid rules of each method", () => {
    expect(ruleProblems({ method: "fixed", driver: null, shares: [{ departmentId: 1, percent: pct("33.3333") }, { departmentId: 2, percent: pct("66.6667") }] })).toEqual([]);
    expect(ruleProblems({ method: "even", driver: null, shares: [{ departmentId: 1, percent: null }] })).toEqual([]);
    expect(ruleProblems({ method: "proportional", driver: "tasks", shares: [] })).toEqual([]);
  });

  it("names the field that is wrong", () => {
    expect(ruleProblems({ method: "fixed", driver: null, shares: [{ departmentId: 1, percent: pct("60") }, { departmentId: 2, percent: pct("30") }] })).toEqual([
      { path: "shares", message: "percentages must sum to 100 (they sum to 90)" },
    ]);
    expect(ruleProblems({ method: "fixed", driver: null, shares: [{ departmentId: 1, percent: null }] }).map((p) => p.path)).toEqual(["shares.0.percent"]);
    expect(ruleProblems({ method: "proportional", driver: null, shares: [] }).map((p) => p.path)).toEqual(["driver"]);
    expect(ruleProblems({ method: "even", driver: null, shares: [] }).map((p) => p.path)).toEqual(["shares"]);
    expect(ruleProblems({ method: "even", driver: null, shares: [{ departmentId: 1, percent: null }, { departmentId: 1, percent: null }] }).map((p) => p.path)).toEqual(["shares"]);
  });
});
