// OpenAPI registration of ROI what-ifs, scenarios and the baseline reset (schemas from ./scenario-schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { scenarioCreate, scenarioListResponse, scenarioUpdate, scenarioView, whatIfBody } from "./scenario-schemas";
import { assumptionSchema as baselineResetResponse, dashboardParams, roiExtra, roiResponse as whatIfResponse } from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/) });
const body = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });

export const registerScenariosApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/roi/what-if",
    summary: "ROI with what-if baselines",
    description: "The same figures as GET /api/v1/roi for the same query, with the listed task types' baselines replaced. Nothing is saved. Any role that can read ROI.",
    security: apiKeyOrSession,
    request: { query: dashboardParams(roiExtra), ...body(whatIfBody) },
    responses: { 200: json(whatIfResponse, "ROI under the what-if baselines"), ...errors(400, 401, 403) },
  });
  registry.registerPath({ method: "get", path: "/api/v1/roi/scenarios", summary: "The caller's ROI scenarios", responses: { 200: json(scenarioListResponse, "Scenarios, newest first"), ...errors(401, 403) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/roi/scenarios",
    summary: "Save a named ROI scenario",
    description: "Private to its owner until shared. Every task type listed must exist. Audited.",
    request: body(scenarioCreate),
    responses: { 201: json(scenarioView, "The scenario"), ...errors(400, 401, 403) },
  });
  registry.registerPath({ method: "get", path: "/api/v1/roi/scenarios/{id}", summary: "One of the caller's scenarios", request: { params: idPath }, responses: { 200: json(scenarioView, "The scenario"), ...errors(400, 401, 403, 404) } });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/roi/scenarios/{id}",
    summary: "Rename, change, share or unshare a scenario",
    description: "`shared: true` creates a read-only link (`sharePath`); `shared: false` removes it. Owner only (others get 404). Audited.",
    request: { params: idPath, ...body(scenarioUpdate) },
    responses: { 200: json(scenarioView, "The scenario"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({ method: "delete", path: "/api/v1/roi/scenarios/{id}", summary: "Delete a scenario", description: "Owner only. Audited.", request: { params: idPath }, responses: { 204: { description: "Deleted" }, ...errors(400, 401, 403, 404) } });
  registry.registerPath({
    method: "get",
    path: "/api/v1/roi/scenarios/shared/{token}",
    summary: "A shared scenario, read-only",
    description: "Anyone signed in who can read ROI. 404 once the owner stops sharing it.",
    request: { params: z.object({ token: z.string() }) },
    responses: { 200: json(scenarioView, "The scenario"), ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/roi/assumptions/{taskType}/reset",
    summary: "Reset a task type's official baseline to its default",
    description: "Restores the baseline the task type was created with. Finance and admin roles; audited.",
    request: { params: z.object({ taskType: z.string() }) },
    responses: { 200: json(baselineResetResponse, "The task type's baseline"), ...errors(401, 403, 404, 409) },
  });
};
