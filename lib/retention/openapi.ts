// OpenAPI registration of the retention API (schemas from ./schemas).
import type { OpenApiResource } from "@/lib/api/openapi";
import { retentionRunRequested, retentionView } from "./schemas";

export const registerRetentionApi: OpenApiResource = (registry, { errors, json }) => {
  registry.registerPath({
    method: "get",
    path: "/api/v1/retention",
    summary: "Raw event retention: the setting, a dry run of the next run, past runs",
    description: "Admin role only. The dry run changes nothing. The setting is changed with PATCH /api/v1/settings (rawEventRetentionMonths, rawEventRetentionMode).",
    responses: { 200: json(retentionView, "Setting, dry run and runs"), ...errors(401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/retention/runs",
    summary: "Run raw event retention now",
    description: "Admin role only. Audited. Queues the job the daily schedule runs: whole months past the cutoff are archived (archive mode) and dropped; rollups, invoices and idempotency keys stay.",
    responses: { 202: json(retentionRunRequested, "Queued; follow it in GET /api/v1/retention"), ...errors(401, 403) },
  });
};
