// OpenAPI registration of the dashboard APIs (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import {
  agentDetailResponse, agentEventsQuery, agentEventsResponse, agentExtra, assumptionSchema, baselinePatch, dashboardParams,
  dimensionBody, dimensionsResponse, eventsExtra, eventsResponse, roiExtra, roiResponse, usageExtra, usageResponse, workloadExtra, workloadResponse,
} from "./schemas";
import { overviewQuery, overviewResponse } from "./overview-schemas";

const FILTERS =
  "`from`/`to` are inclusive days (YYYY-MM-DD) in the organization's time zone (default: the last 30 days). " +
  "Filters take comma-separated keys (agent key, department code or UNASSIGNED, customer key or (none), model or (none), event type, task type or (none)); " +
  "`property:<name>=v1,v2` filters by a promoted dimension. Unknown values give empty results; unknown parameters are a 400 naming them.";

export const registerDashboardApi: OpenApiResource = (registry, { errors, apiKeyOrSession }) => {
  const get = (path: string, summary: string, description: string, query: z.ZodObject, response: z.ZodType, params?: z.ZodObject) =>
    registry.registerPath({
      method: "get",
      path,
      summary,
      description,
      security: apiKeyOrSession,
      request: { query, ...(params ? { params } : {}) },
      responses: { 200: { description: summary, content: { "application/json": { schema: response } } }, ...errors(400, 401, 403, 404, 503) },
    });
  const agentKey = z.object({ key: z.string() });
  registry.registerPath({
    method: "get",
    path: "/api/v1/overview",
    summary: "Overview",
    description:
      "Spend and events for a period vs the previous one of the same length, top departments and agents, daily spend, the current month's forecast and the largest movers. " +
      "`from`/`to` are inclusive days (YYYY-MM-DD) in the organization's time zone (default: the last 30 days). Department-scoped callers see their departments only. " +
      "`currency` shows costs in a display currency, each local day at its own rate (the forecast stays in the organization currency).",
    security: apiKeyOrSession,
    request: { query: overviewQuery },
    responses: { 200: { description: "Overview", content: { "application/json": { schema: overviewResponse } } }, ...errors(400, 401, 403) },
  });
  get("/api/v1/usage", "Usage time series", `Events, quantity and cost per bucket and group (top N + Other), with the previous period. ${FILTERS}`, dashboardParams(usageExtra), usageResponse);
  get("/api/v1/workload", "Agent vs human workload", `Tasks by agents vs humans, handle time, cost per task, escalations. ${FILTERS}`, dashboardParams(workloadExtra), workloadResponse);
  get("/api/v1/roi", "ROI of agents", `Hours saved, value, cost, net, ROI and payback, with the assumptions used. ${FILTERS}`, dashboardParams(roiExtra), roiResponse);
  get("/api/v1/agents/{key}", "Agent detail", `One agent's trend, outcomes, models and departments. ${FILTERS}`, dashboardParams(agentExtra), agentDetailResponse, agentKey);
  get("/api/v1/agents/{key}/events", "Agent's raw events", "Newest first; pass `nextCursor` back as `cursor` for older events.", agentEventsQuery, agentEventsResponse, agentKey);
  get("/api/v1/events", "Events explorer", `The raw events behind any total, newest first (pass \`nextCursor\` back as \`cursor\`), with the totals of all matching events. ${FILTERS}`, dashboardParams(eventsExtra), eventsResponse);
  get("/api/v1/dimensions", "Custom dimensions", "Promoted event properties and candidates seen in recent events.", z.object({}), dimensionsResponse);
  registry.registerPath({
    method: "post",
    path: "/api/v1/dimensions",
    summary: "Promote an event property to a dimension (admin session; rebuilds the rollups)",
    request: { body: { required: true, content: { "application/json": { schema: dimensionBody } } } },
    responses: { 200: { description: "Dimensions after the change", content: { "application/json": { schema: dimensionsResponse } } }, ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/dimensions/{name}",
    summary: "Demote a dimension (admin session; rebuilds the rollups)",
    request: { params: z.object({ name: z.string() }) },
    responses: { 200: { description: "Dimensions after the change", content: { "application/json": { schema: dimensionsResponse } } }, ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/roi/assumptions/{taskType}",
    summary: "Edit a task type's human baseline (admin or finance session; audited)",
    request: { params: z.object({ taskType: z.string() }), body: { required: true, content: { "application/json": { schema: baselinePatch } } } },
    responses: { 200: { description: "The updated assumption", content: { "application/json": { schema: assumptionSchema } } }, ...errors(400, 401, 403, 404) },
  });
};
