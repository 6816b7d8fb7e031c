import { expect, it } from "vitest";
import { nextSearch } from "./url";

it("sets, replaces and removes parameters", () => {
  expect(nextSearch("from=2026-03-01&agent=a", { agent: "b", groupBy: "model" })).toBe("?from=2026-03-01&agent=b&groupBy=model");
  expect(nextSearch("agent=a", { agent: null })).toBe("");
  expect(nextSearch("agent=a&type=x", { type: "" })).toBe("?agent=a");
  expect(nextSearch("", { "property:tenant": "t1" })).toBe("?property%3Atenant=t1");
});

