import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { recostApply } from "./schemas";

describe("re-costing API contract", () => {
  it("documents GET and POST /api/v1/pricing/recost", () => {
    const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
    expect(Object.keys(paths["/api/v1/pricing/recost"] ?? {}).sort()).toEqual(["get", "post"]);
  });

  it("names the field and the reason of a bad request", () => {
    const issues = (value: unknown) => recostApply.safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ changes: [], reason: "r" })).toEqual(["changes: List at least one price change id"]);
    expect(issues({ changes: [1], reason: " " })).toEqual(["reason: Required: say why (it is audited)"]);
    expect(issues({ changes: [1.5], reason: "r" })?.[0]).toMatch(/^changes\.0: /);
    expect(issues({ changes: [1], reason: "r", auto: true })?.[0]).toMatch(/auto/);
    expect(recostApply.parse({ changes: [3, 4], reason: " new list price " })).toEqual({ changes: [3, 4], reason: "new list price" });
  });
});
