// OpenAPI registration of the allocation, showback, department and allocation-rule API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import {
  agentAssignment, allocationResponse, budgetUpdate, departmentCreate, departmentListResponse, departmentResponse, departmentUpdate,
  periodQuery, ruleCreate, ruleListQuery, ruleListResponse, ruleResponse, statementQuery, statementResponse,
} from "./schemas";

const codePath = z.object({ code: z.string().meta({ description: "Department code, e.g. SUPPORT" }) });
const adminNote = "Admin role only (signed-in session).";

export const registerAllocationApi: OpenApiResource = (registry, { errors, apiKey, json }) => {
  const body = (schema: z.ZodType) => ({ body: { required: true, content: { "application/json": { schema } } } });
  registry.registerPath({
    method: "get",
    path: "/api/v1/allocation",
    summary: "Department chargeback for a month",
    description:
      "Per department: direct cost, allocated share of shared agents (rules in force on each day), total, budget, % used and month-end forecast (spend of the complete days + the last 7 complete days' mean × days left; a past month: its actual). " +
      "Money as decimal strings. Σ departments' totals + unallocated = total, to the cent (largest-remainder rounding, ties by department code). " +
      "The month defaults to the current one in the organization's time zone. Department-scoped users see only their departments and no unallocated amount.",
    security: apiKey,
    request: { query: periodQuery },
    responses: { 200: json(allocationResponse, "The month's allocation"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/allocation/{code}",
    summary: "A department's showback statement (JSON, CSV or PDF)",
    description: "Lines per agent, direct and allocated, with the rule behind each share; the lines add up to the department's totals.",
    security: apiKey,
    request: { params: codePath, query: statementQuery },
    responses: {
      200: {
        description: "The statement",
        content: { "application/json": { schema: statementResponse }, "text/csv": { schema: z.string() }, "application/pdf": { schema: z.string().meta({ format: "binary" }) } },
      },
      ...errors(400, 401, 403, 404),
    },
  });
  registry.registerPath({ method: "get", path: "/api/v1/departments", summary: "The cost-center tree", security: apiKey, responses: { 200: json(departmentListResponse, "Departments"), ...errors(401, 403) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/departments",
    summary: "Create a department",
    description: adminNote,
    request: body(departmentCreate),
    responses: { 201: json(departmentResponse, "The new department"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/departments/{code}",
    summary: "Rename, re-parent, change the owner, archive or restore a department",
    description: `Archiving keeps history: events stay booked to the department. ${adminNote}`,
    request: { params: codePath, ...body(departmentUpdate) },
    responses: { 200: json(departmentResponse, "The department"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "put",
    path: "/api/v1/departments/{code}/budget",
    summary: "Set a department's monthly budget and alert thresholds",
    description: "Admin and finance roles (signed-in session). Without thresholds of its own a department alerts at 50/80/100 % of spend and 100 % of forecast.",
    request: { params: codePath, ...body(budgetUpdate) },
    responses: { 200: json(departmentResponse, "The department"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/departments/{code}/agents",
    summary: "Make the department an agent's default department",
    description: `Future events of the agent are booked to it; past events keep their department. ${adminNote}`,
    request: { params: codePath, ...body(agentAssignment) },
    responses: { 200: json(departmentResponse, "The department"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({ method: "get", path: "/api/v1/allocation-rules", summary: "Allocation rule versions", security: apiKey, request: { query: ruleListQuery }, responses: { 200: json(ruleListResponse, "Rules, newest first per agent"), ...errors(400, 401, 403) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/allocation-rules",
    summary: "Add an allocation rule version for a shared agent",
    description: `Methods: proportional (driver tasks|events|quantity; optional departments), fixed (percentages summing to 100), even. Applies from effectiveFrom until the agent's next rule; must not start before the current month. Makes the agent shared. ${adminNote}`,
    request: body(ruleCreate),
    responses: { 201: json(ruleResponse, "The new rule"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/allocation-rules/{id}",
    summary: "Delete a rule version starting in the current month or later",
    description: adminNote,
    request: { params: z.object({ id: z.string().regex(/^\d+$/) }) },
    responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404, 409) },
  });
};
