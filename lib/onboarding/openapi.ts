// OpenAPI registration of the first-run API: department CSV import and the latest received event (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { departmentImportResponse, latestEventResponse, MAX_IMPORT_DEPARTMENTS } from "./schemas";

export const registerOnboardingApi: OpenApiResource = (registry, { errors, apiKeyOrSession, json }) => {
  registry.registerPath({
    method: "post",
    path: "/api/v1/departments/import",
    summary: "Create departments from a CSV file",
    description:
      `Header \`code,name,parent,monthly_budget\` (parent and monthly_budget optional; empty cells mean none), at most ${MAX_IMPORT_DEPARTMENTS} rows. ` +
      "A parent is another row of the file or an existing department. All rows are created or none: any problem answers 400 with one detail per " +
      "problem, its path naming the file's line and column (e.g. `line 3.code`). Admin role only (signed-in session).",
    request: { body: { required: true, content: { "text/csv": { schema: z.string() } } } },
    responses: { 201: json(departmentImportResponse, "The departments created"), ...errors(400, 401, 403, 409, 413, 415) },
  });
  registry.registerPath({
    method: "get",
    path: "/api/v1/events/latest",
    summary: "The most recently received event",
    description:
      "The newest stored event the caller may see (department-scoped users: their departments' events only), or null when there is none. " +
      "The id grows with every stored event, so polling and comparing ids tells whether a new event arrived.",
    security: apiKeyOrSession,
    responses: { 200: json(latestEventResponse, "The latest event, or null"), ...errors(401, 403) },
  });
};
