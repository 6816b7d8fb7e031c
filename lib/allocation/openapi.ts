// OpenAPI registration of the allocation, showback, department and allocation-rule API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import {
  agentAssignment, allocationResponse, budgetUpdate, departmentCreate, departmentListResponse, departmentResponse, departmentUpdate,
  periodQuery, ruleCreate, ruleListQuery, ruleListResponse, ruleResponse, statementQuery, statementResponse,
  chargebackExportQuery, glMappingResponse, glMappingUpdate, monthClose, monthCloseListResponse, monthCloseResponse, monthReopen,
  previewResponse, ruleEnd, rulePreview, shareImpactQuery, shareImpactResponse,
} from "./schemas";

const codePath = z.object({ code: z.string().meta({ description: "Department code, e.g. SUPPORT" }) });
const adminNote = "Admin role only (signed-in session).";

export const registerAllocationApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json, body }) => {
  registry.registerPath({
    method: "get",
    path: "/api/v1/allocation",
    summary: "Department chargeback for a month",
    description:
      "Per department: direct cost, allocated share of shared agents (rules in force on each day), total, budget, % used and month-end forecast (spend of the complete days + the last 7 complete days' mean × days left; a past month: its actual). " +
      "Money as decimal strings. Σ departments' totals + unallocated = total, to the cent (largest-remainder rounding, ties by department code). " +
      "The month defaults to the current one in the organization's time zone. Department-scoped users see only their departments and no unallocated amount.",
    security: apiKeyOrSession,
    request: { query: periodQuery },
    responses: { 200: json(allocationResponse, "The month's allocation"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/allocation/{code}",
    summary: "A department's showback statement (JSON, CSV or PDF)",
    description: "Lines per agent, direct and allocated, with the rule behind each share; the lines add up to the department's totals.",
    security: apiKeyOrSession,
    request: { params: codePath, query: statementQuery },
    responses: {
      200: {
        description: "The statement",
        content: { "application/json": { schema: statementResponse }, "text/csv": { schema: z.string() }, "application/pdf": { schema: z.string().meta({ format: "binary" }) } },
      },
      ...errors(400, 401, 403, 404),
    },
  });
  registry.registerPath({ method: "get", path: "/api/v1/departments", summary: "The cost-center tree", security: apiKeyOrSession, responses: { 200: json(departmentListResponse, "Departments"), ...errors(401, 403) } });
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
  registry.registerPath({ method: "get", path: "/api/v1/allocation-rules", summary: "Allocation rule versions", security: apiKeyOrSession, request: { query: ruleListQuery }, responses: { 200: json(ruleListResponse, "Rules, newest first per agent"), ...errors(400, 401, 403) } });
  const financeNote = "Admin and finance roles (signed-in session); a department-scoped finance user only within their departments.";
  const idPath = { params: z.object({ id: z.string().regex(/^\d+$/) }) };
  registry.registerPath({
    method: "post",
    path: "/api/v1/allocation-rules",
    summary: "Add an allocation rule version for a shared agent",
    description:
      "Methods: proportional (driver tasks|events|quantity; optional departments), fixed (percentages summing to 100), even. Applies from effectiveFrom " +
      "until effectiveTo (inclusive) or the agent's next version; versions may not overlap. A version reaching into a closed month leaves that month " +
      `as closed and carries the difference into the next open month as adjustments. Makes the agent shared. ${financeNote}`,
    request: body(ruleCreate),
    responses: { 201: json(ruleResponse, "The new rule"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/allocation-rules/{id}",
    summary: "End a rule version on a day (or remove its end)",
    description: `After the end the agent's cost is unallocated until its next version. ${financeNote}`,
    request: { ...idPath, ...body(ruleEnd) },
    responses: { 200: json(ruleResponse, "The rule"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/allocation-rules/{id}",
    summary: "Delete a rule version",
    description: `Closed months keep their figures; the change reaches the next open month as adjustments. ${financeNote}`,
    request: idPath,
    responses: { 204: { description: "Deleted" }, ...errors(401, 403, 404) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/allocation-rules/preview",
    summary: "Preview a rule change: each department's total in a month before and after, without saving",
    description: `The same computation as the allocation report. For a closed month, the month shown is the open month the change is carried into. ${financeNote}`,
    request: body(rulePreview),
    responses: { 200: json(previewResponse, "Before and after"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/allocation-rules/share-impact",
    summary: "Months whose chargeback changes if an agent is marked shared",
    description: "Any signed-in role; department-scoped users only for agents of their departments.",
    request: { query: shareImpactQuery },
    responses: { 200: json(shareImpactResponse, "Months with the agent's cost"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({ method: "get", path: "/api/v1/allocation-closes", summary: "Closed chargeback months", security: apiKeyOrSession, responses: { 200: json(monthCloseListResponse, "Closed months, newest first"), ...errors(401, 403) } });
  registry.registerPath({
    method: "post",
    path: "/api/v1/allocation-closes",
    summary: "Close a chargeback month",
    description: "Freezes the month's figures once it has ended; later changes are carried into the next open month as adjustments. Admin and finance roles, not department-scoped users; audited.",
    request: body(monthClose),
    responses: { 201: json(monthCloseResponse, "The closed month"), ...errors(400, 401, 403, 409) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/allocation-closes/{period}/reopen",
    summary: "Reopen a closed month, with a reason",
    description: "Refused (409) while a later month is closed. Admin and finance roles, not department-scoped users; audited with the reason.",
    request: { params: z.object({ period: z.string().meta({ description: "YYYY-MM" }) }), ...body(monthReopen) },
    responses: { 204: { description: "Reopened" }, ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/exports/chargeback",
    summary: "The month's chargeback as one file: CSV, XLSX, PDF, or journal entries (CSV)",
    description:
      "All departments (direct, allocated, adjustments, total, budget, variance), Unallocated and the total; text cells neutralised against formula injection. " +
      "journal: balanced debit/credit lines to each department's GL account and cost center against the offset account (400 naming unmapped departments). " +
      "Admin and finance roles; department-scoped finance users get their departments.",
    request: { query: chargebackExportQuery },
    responses: {
      200: {
        description: "The file",
        content: {
          "text/csv": { schema: z.string() },
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string().meta({ format: "binary" }) },
          "application/pdf": { schema: z.string().meta({ format: "binary" }) },
        },
      },
      ...errors(400, 401, 403),
    },
  });
  registry.registerPath({ method: "get", path: "/api/v1/gl-mapping", summary: "GL accounts of departments and the offset account", description: "Admin and finance roles, not department-scoped users.", responses: { 200: json(glMappingResponse, "The mapping"), ...errors(401, 403) } });
  registry.registerPath({
    method: "put",
    path: "/api/v1/gl-mapping",
    summary: "Set departments' GL accounts and cost-center codes and the offset account",
    description: `Departments not listed keep theirs. ${adminNote}`,
    request: body(glMappingUpdate),
    responses: { 200: json(glMappingResponse, "The mapping"), ...errors(400, 401, 403) },
  });
};
