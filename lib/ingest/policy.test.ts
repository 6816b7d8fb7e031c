import { describe, expect, test } from "vitest";
import { compilePolicy, policyErrors, UNRESTRICTED, type PolicyLookups } from "./policy";

const none: PolicyLookups = { agents: null, customers: null, finalized: null };
const event = { agent: "a", customer: null, departmentId: null, departmentCode: null, at: Date.parse("2026-03-10T00:00:00Z"), cost: "0" };

describe("policyErrors", () => {
  test("an unrestricted key needs no lookups and allows everything", () => {
    const compiled = compilePolicy(UNRESTRICTED);
    expect(compiled.needs).toEqual({ agents: false, customers: false, finalized: false });
    expect(policyErrors({ ...event, cost: "99999999999" }, compiled, none)).toEqual([]);
  });

  test("the ceiling is compared exactly, not as floats", () => {
    const compiled = compilePolicy({ ...UNRESTRICTED, maxCostPerEvent: "0.0000000001" });
    expect(policyErrors({ ...event, cost: "0.0000000001" }, compiled, none)).toEqual([]);
    expect(policyErrors({ ...event, cost: "0.0000000002" }, compiled, none)).toEqual(["cost: 0.0000000002 exceeds this API key's ceiling of 0.0000000001 per event"]);
  });

  test("finalized periods: [start, end)", () => {
    const compiled = compilePolicy({ ...UNRESTRICTED, mayWriteFinalized: false });
    const lookups = { ...none, finalized: [{ start: Date.parse("2026-03-01T00:00:00Z"), end: Date.parse("2026-04-01T00:00:00Z"), period: "2026-03" }] };
    expect(policyErrors(event, compiled, lookups)).toHaveLength(1);
    expect(policyErrors({ ...event, at: Date.parse("2026-04-01T00:00:00Z") }, compiled, lookups)).toEqual([]);
  });
});
