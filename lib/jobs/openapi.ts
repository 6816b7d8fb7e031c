// OpenAPI registration of the admin jobs API (schemas from ./schemas).
import type { OpenApiResource } from "@/lib/api/openapi";
import { jobIdPath, jobListQuery, jobListResponse, jobView } from "./schemas";

export const registerJobsApi: OpenApiResource = (registry, { errors, json }) => {
  registry.registerPath({
    method: "get",
    path: "/api/v1/jobs",
    summary: "Background jobs",
    description: "Queued (created, retry), running (active), failed and recently completed jobs of the job queue, newest first, with counts per state. Admin role only.",
    request: { query: jobListQuery },
    responses: { 200: json(jobListResponse, "Jobs and counts per state"), ...errors(400, 401, 403) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/jobs/{id}/retry",
    summary: "Retry a failed job",
    description: "Queues one more attempt of a failed job; audited as job.retry. 409 when the job is not failed. Admin role only.",
    request: { params: jobIdPath },
    responses: { 200: json(jobView, "The job, back in the queue"), ...errors(401, 403, 404, 409) },
  });
};
