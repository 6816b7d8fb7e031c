// The OpenAPI document includes every dashboard route, generated from the zod schemas.
import { expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

it("documents the dashboard routes", () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
  for (const [path, method] of [
    ["/api/v1/usage", "get"],
    ["/api/v1/workload", "get"],
    ["/api/v1/roi", "get"],
    ["/api/v1/roi/assumptions/{taskType}", "patch"],
    ["/api/v1/agents/{key}", "get"],
    ["/api/v1/agents/{key}/events", "get"],
    ["/api/v1/dimensions", "post"],
    ["/api/v1/dimensions/{name}", "delete"],
    ["/api/v1/events", "get"],
    ["/api/v1/events", "post"],
    ["/api/v1/views", "get"],
    ["/api/v1/views", "post"],
    ["/api/v1/views/{id}", "patch"],
    ["/api/v1/views/{id}", "delete"],
  ]) {
    expect(doc.paths[path!]?.[method!], `${method} ${path}`).toBeDefined();
  }
  const params = (doc.paths["/api/v1/usage"]!.get as { parameters: { name: string }[] }).parameters.map((p) => p.name);
  expect(params).toEqual(expect.arrayContaining(["from", "to", "granularity", "groupBy", "agent", "department", "top"]));
});

it("documents the events explorer's filters, task type included", () => {
  const doc = openApiDocument() as { paths: Record<string, Record<string, { parameters: { name: string }[] }>> };
  const params = doc.paths["/api/v1/events"]!.get!.parameters.map((p) => p.name);
  expect(params).toEqual(expect.arrayContaining(["from", "to", "agent", "department", "model", "customer", "type", "taskType", "handledBy", "limit", "cursor"]));
});
