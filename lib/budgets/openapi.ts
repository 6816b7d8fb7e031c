// OpenAPI registration of budget limits and budget checks (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { budgetCheckRequest, budgetCheckResponse, budgetLimitCreate, budgetLimitList, budgetLimitListQuery, budgetLimitUpdate, budgetLimitView, budgetUseList, budgetUseQuery } from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/) });

export const registerBudgetsApi: OpenApiResource = (registry, { errors, apiKey, apiKeyOrSession, json, body }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/budget-checks",
    summary: "Check budget limits before spending",
    description: [
      "Every limit that applies — the agent's, its department's (or `department`'s) and each parent department's, the calling key's — is compared with its current period's spend plus `estimatedCost` (in the organization's currency); the tightest answer wins and `limit` says which.",
      "`hard`: denied (`allowed: false`); `soft`: allowed, warn. `estimatedCost` is compared, not reserved: concurrent callers can together overshoot a hard limit by their estimates, and spend counts once its events are ingested.",
      "Answered from each instance's in-memory cache (≤ 1 s behind ingestion on any instance). With the database unreachable for over 60 s, `answeredFrom` is `failOpen` or `failClosed` per the limits' fail mode.",
      "API key with the `check` or `ingest` scope; counted against the key's per-minute limit. docs/budgets.md.",
    ].join(" "),
    security: apiKey,
    request: body(budgetCheckRequest),
    responses: { 200: json(budgetCheckResponse, "The decision"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/budget-limits",
    summary: "Budget limits with their current spend",
    description: "Admin and finance roles (not department-scoped users).",
    request: { query: budgetLimitListQuery },
    responses: { 200: json(budgetLimitList, "Limits"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/budget-limits/use",
    summary: "Current use vs limit",
    description: [
      "The limits that apply to `agent` (its own and its department's and parents') or `department` (its own and its parents'), or without either every department limit, each with its spend in the current period (organization time zone) from the same cache as budget checks.",
      "`tightest` marks the limit a check would name. A department's monthly budget without a limit row shows as a month limit with `id: null` and only a soft level.",
      "Any role; department-scoped users see their departments' and agents' limits (`hidden` counts parents' limits outside their scope); an agent or department outside their scope is a 404.",
    ].join(" "),
    security: apiKeyOrSession,
    request: { query: budgetUseQuery },
    responses: { 200: json(budgetUseList, "Use vs limit"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/budget-limits",
    summary: "Add a budget limit",
    description: "On a department (its subtree's direct cost), an agent or an API key (`target`: code, key, or key id/prefix); per day, ISO week or month in the organization's time zone. Audited. Admin and finance roles.",
    request: body(budgetLimitCreate),
    responses: { 200: json(budgetLimitView, "The limit"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/budget-limits/{id}",
    summary: "Change a budget limit's levels or fail mode",
    description: "Audited. Admin and finance roles.",
    request: { params: idPath, ...body(budgetLimitUpdate) },
    responses: { 200: json(budgetLimitView, "The limit"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/budget-limits/{id}",
    summary: "Remove a budget limit",
    description: "Audited. Admin and finance roles.",
    request: { params: idPath },
    responses: { 200: json(z.object({ deleted: z.literal(true) }).strict(), "Deleted"), ...errors(400, 401, 403, 404) },
  });
};
