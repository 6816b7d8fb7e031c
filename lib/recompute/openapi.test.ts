import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { CorrectionRequestSchema } from "@/lib/corrections/schemas";
import { startBody } from "./schemas";

describe("recompute and corrections OpenAPI registration", () => {
  it("documents the recompute routes and event corrections", () => {
    const paths = Object.keys((openApiDocument() as { paths: Record<string, unknown> }).paths);
    for (const path of ["/api/v1/recompute/preview", "/api/v1/recompute/runs", "/api/v1/recompute/runs/{id}", "/api/v1/events/{source}/{id}/corrections"]) {
      expect(paths).toContain(path);
    }
  });

  it("names the field and the reason of a bad request", () => {
    const issues = (value: unknown) => startBody.safeParse(value).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ kind: "reprice", from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z", reason: "x" })).toEqual(["to: must be after from"]);
    expect(issues({ kind: "reprice", from: "2026-11-01", to: "2026-11-02T00:00:00Z", reason: " " })?.map((i) => i.split(":")[0])).toEqual(["from", "reason"]);
    expect(issues({ kind: "reprice", from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z", reason: "x", predicate: { models: [] } })?.[0]).toMatch(/^predicate\.models: /);
    expect(CorrectionRequestSchema.safeParse({ kind: "correction", reason: "r", idempotency_key: "k" }).error?.issues[0]?.path).toEqual(["event"]);
  });
});
