// The OpenAPI document includes the month close, rules editor and one-file chargeback routes.
import { expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

it("documents the month close, rule and chargeback routes", () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  for (const [path, method] of [
    ["/api/v1/allocation-rules", "post"],
    ["/api/v1/allocation-rules/{id}", "patch"],
    ["/api/v1/allocation-rules/{id}", "delete"],
    ["/api/v1/allocation-rules/preview", "post"],
    ["/api/v1/allocation-rules/share-impact", "get"],
    ["/api/v1/allocation-closes", "get"],
    ["/api/v1/allocation-closes", "post"],
    ["/api/v1/allocation-closes/{period}/reopen", "post"],
    ["/api/v1/exports/chargeback", "get"],
    ["/api/v1/gl-mapping", "get"],
    ["/api/v1/gl-mapping", "put"],
  ]) {
    expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
  }
});
