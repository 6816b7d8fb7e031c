// OpenAPI registration of the pricing API (unpriced usage, aliases, discounts, effective prices, catalog updates).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { rangeQuery } from "@/lib/analytics/period";
import { aliasCreate, catalogSource, discountCreate, pricesQuery, recostApplied, recostApply, recostPendingResponse, unpricedResponse } from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/) });

export const registerPricingApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json, body }) => {
  const read = (path: string, summary: string, query?: z.ZodObject, response?: z.ZodType) =>
    registry.registerPath({
      method: "get",
      path,
      summary,
      description: "Any role, or an API key with the read scope.",
      security: apiKeyOrSession,
      ...(query ? { request: { query } } : {}),
      responses: { 200: response ? json(response, summary) : { description: "`{ items: [...] }`" }, ...errors(400, 401, 403) },
    });
  const write = (method: "post" | "delete", path: string, summary: string, request: object, ok = 200) =>
    registry.registerPath({
      method,
      path,
      summary,
      description: "Admin role. Audited; records the models and time range the change can re-cost (price_changes).",
      request,
      responses: { [ok]: { description: "The result" }, ...errors(400, 401, 403, 404, 409) },
    });

  read("/api/v1/pricing/unpriced", "Models whose events have tokens but no price (cost unknown): events and tokens per model", rangeQuery, unpricedResponse);
  read("/api/v1/pricing/prices", "Prices in effect now: catalog or own row, discount, effective price per token class", pricesQuery);
  read("/api/v1/pricing/aliases", "Model aliases (e.g. Azure deployment names)");
  write("post", "/api/v1/pricing/aliases", "Add a model alias", body(aliasCreate), 201);
  write("delete", "/api/v1/pricing/aliases/{id}", "Remove a model alias", { params: idPath });
  read("/api/v1/pricing/discounts", "Negotiated discounts per provider or model");
  write("post", "/api/v1/pricing/discounts", "Add a negotiated discount", body(discountCreate), 201);
  write("delete", "/api/v1/pricing/discounts/{id}", "Remove a discount", { params: idPath });
  write("post", "/api/v1/pricing/catalog/preview", "Preview a catalog update (installed package or uploaded file): counts, changes, skipped entries, hash", body(catalogSource));
  write("post", "/api/v1/pricing/catalog", "Apply a catalog update (pass the preview's hash as `expect`)", body(catalogSource));
  registry.registerPath({
    method: "get",
    path: "/api/v1/pricing/recost",
    summary: "Price changes not yet re-costed, with the scope (range, model ids events carry) and the recompute preview",
    description: "Admin role. `{ changes, scope, preview }`; preview = events scanned and changed, in finalized periods, cost delta per department and customer.",
    responses: { 200: json(recostPendingResponse, "Pending price changes, scope and preview"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/pricing/recost",
    summary: "Re-cost pending price changes: one reprice recompute run, linked to the changes (202; runs as a job)",
    description: "Admin role. Audited (`price_change.recost`, then the run's `recompute.start`/`recompute.complete`). Reported costs never change.",
    request: body(recostApply),
    responses: { 202: json(recostApplied, "The run (runId null when no stored event is affected)"), ...errors(400, 401, 403, 404, 409) },
  });
};
