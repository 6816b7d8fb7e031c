// OpenAPI registration of the four-eyes approval API (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { approvalListQuery, approvalListResponse, approvalSchema, fourEyesSchema, fourEyesUpdate, rejectRequest } from "./schemas";

const idPath = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "Approval id" }) });

export const registerApprovalsApi: OpenApiResource = (registry, { errors, json, body }) => {
  registry.registerPath({
    method: "get",
    path: "/api/v1/approvals",
    summary: "Four-eyes approval requests, newest first (200)",
    description: "Finance and admin roles.",
    request: { query: approvalListQuery },
    responses: { 200: json(approvalListResponse, "Approval requests"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/approvals/{id}/approve",
    summary: "Approve a pending request; its action (finalize the invoice, start the re-costing run) then runs as the approver",
    description:
      "Finance and admin roles; not the requester (403). If the action is refused (e.g. the invoice now lacks an FX rate: 409), the request ends `failed` with that reason. Audited.",
    request: { params: idPath },
    responses: { 200: json(approvalSchema, "The approved request"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/approvals/{id}/reject",
    summary: "Reject a pending request, with a reason",
    description: "Finance and admin roles; not the requester (403). Audited.",
    request: { params: idPath, ...body(rejectRequest) },
    responses: { 200: json(approvalSchema, "The rejected request"), ...errors(400, 401, 403, 404, 409) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/approvals/settings",
    summary: "Four-eyes approval settings",
    description: "Finance and admin roles.",
    responses: { 200: json(fourEyesSchema, "The settings"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "put",
    path: "/api/v1/approvals/settings",
    summary: "Turn four-eyes approval on or off and set its threshold (organization currency)",
    description: "Admin role. Audited.",
    request: body(fourEyesUpdate),
    responses: { 200: json(fourEyesSchema, "The settings"), ...errors(400, 401, 403) },
  });
};
