// OpenAPI registration of the administration API (request schemas from ./schemas, shared with the admin forms).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import {
  agentCreate,
  agentUpdate,
  apiKeyCreate,
  apiKeyUpdate,
  auditQuery,
  customerCreate,
  customerPlanAssign,
  customerUpdate,
  customerView,
  modelPriceCreate,
  modelPriceUpdate,
  settingsUpdate,
  taskTypeCreate,
  taskTypeUpdate,
  userCreate,
  userUpdate,
} from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/) });
const keyPath = z.object({ key: z.string() });

export const registerAdminApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json, body }) => {
  const list = (path: string, summary: string, readable: boolean) =>
    registry.registerPath({
      method: "get",
      path,
      summary,
      description: readable ? "Any role, or an API key with the read scope." : "Admin role only.",
      ...(readable ? { security: apiKeyOrSession } : {}),
      responses: { 200: { description: "`{ items: [...] }`" }, ...errors(401, 403) },
    });
  const write = (method: "post" | "patch" | "delete", path: string, summary: string, who: string, request: object, ok = 200) =>
    registry.registerPath({
      method,
      path,
      summary,
      description: `${who}. Audited (who, when, before → after).`,
      request,
      responses: { [ok]: { description: "The changed record" }, ...errors(400, 401, 403, 404, 409) },
    });

  list("/api/v1/users", "Users with role, department scope, sign-in status and sign-in limits (`signIn`)", false);
  write("post", "/api/v1/users", "Invite (no password: SSO only) or create a user", "Admin role", body(userCreate), 201);
  write("patch", "/api/v1/users/{id}", "Change a user's role, scope or password; deactivate", "Admin role", { params: idPath, ...body(userUpdate) });
  write("post", "/api/v1/users/{id}/unlock", "Lift a user's sign-in limits (failure window and per-source delays)", "Admin role", { params: idPath });
  list("/api/v1/api-keys", "API keys with scopes, rate limit and last use (never the secret)", false);
  write("post", "/api/v1/api-keys", "Create an API key; the secret is in this response only", "Admin role", body(apiKeyCreate), 201);
  write("patch", "/api/v1/api-keys/{id}", "Change where a key's OTLP usage counts from: traces (default) or metrics", "Admin role", { params: idPath, ...body(apiKeyUpdate) });
  write("delete", "/api/v1/api-keys/{id}", "Revoke an API key", "Admin role", { params: idPath });
  list("/api/v1/agents", "Agents (department-scoped users see their departments' agents)", true);
  write("post", "/api/v1/agents", "Create an agent", "Admin role", body(agentCreate), 201);
  write("patch", "/api/v1/agents/{key}", "Change an agent", "Admin role", { params: keyPath, ...body(agentUpdate) });
  list("/api/v1/task-types", "Task types with their human baseline", true);
  write("post", "/api/v1/task-types", "Create a task type", "Admin and finance roles", body(taskTypeCreate), 201);
  write("patch", "/api/v1/task-types/{id}", "Change a task type's baseline", "Admin and finance roles", { params: idPath, ...body(taskTypeUpdate) });
  list("/api/v1/model-prices", "Model prices per million tokens with effective dates", true);
  write("post", "/api/v1/model-prices", "Add a model price", "Admin role", body(modelPriceCreate), 201);
  write("patch", "/api/v1/model-prices/{id}", "Correct a model price", "Admin role", { params: idPath, ...body(modelPriceUpdate) });
  write("delete", "/api/v1/model-prices/{id}", "Delete a model price", "Admin role", { params: idPath });
  list("/api/v1/customers", "Customers with their plan history", true);
  write("post", "/api/v1/customers", "Create a customer", "Admin and finance roles", body(customerCreate), 201);
  registry.registerPath({
    method: "get",
    path: "/api/v1/customers/{id}",
    summary: "One customer with its plan history",
    description: "Any role, or an API key with the read scope; department-scoped users get 403 (customers are organization-wide).",
    security: apiKeyOrSession,
    request: { params: idPath },
    responses: { 200: json(customerView, "The customer, plans newest first"), ...errors(400, 401, 403, 404) },
  });
  write("patch", "/api/v1/customers/{id}", "Change a customer", "Admin and finance roles", { params: idPath, ...body(customerUpdate) });
  write("post", "/api/v1/customers/{id}/plans", "Put a customer on a plan from a date", "Admin and finance roles", { params: idPath, ...body(customerPlanAssign) }, 201);
  registry.registerPath({ method: "get", path: "/api/v1/settings", summary: "Organization settings", security: apiKeyOrSession, responses: { 200: { description: "name, currency, timeZone, fiscalMonthStart, requireSsoOrTwoFactor, monthlyBudget (organization budget, alerted on a threshold ladder), budgetThresholds (its spend ladder in percent; [] = default 50/70/80/85/90/95/100), rawEventRetentionMonths and rawEventRetentionMode (raw event retention, docs/retention.md)" }, ...errors(401, 403) } });
  write("patch", "/api/v1/settings", "Change organization settings (a time-zone change rebuilds rollups)", "Admin role", body(settingsUpdate));
  registry.registerPath({
    method: "get",
    path: "/api/v1/audit-logs",
    summary: "The append-only audit log, newest first",
    description: "Admin role only. Page with `before` = the previous page's `nextBefore`.",
    request: { query: auditQuery },
    responses: { 200: { description: "`{ items, nextBefore }`" }, ...errors(400, 401, 403) },
  });
};
