import { describe, expect, it } from "vitest";
import { escalationRate } from "./figures";

describe("escalation rate", () => {
  it("is escalations ÷ agent tasks of any outcome, unrounded", () => {
    expect(escalationRate(3, 12)).toBe(0.25);
    expect(escalationRate(1, 3)).toBe(1 / 3);
    expect(escalationRate(0, 7)).toBe(0);
  });

  it("takes the bigint counts SQL returns", () => {
    expect(escalationRate(5n, 20n)).toBe(0.25);
  });

  it("is null without an agent task, not 0 or NaN", () => {
    expect(escalationRate(0, 0)).toBeNull();
    expect(escalationRate(0n, 0n)).toBeNull();
  });
});
