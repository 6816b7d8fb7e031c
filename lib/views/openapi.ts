// OpenAPI registration of saved views (schemas from ./schemas).
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { viewCreate, viewPatch, viewSchema, viewsQuery, viewsResponse } from "./schemas";

export const registerViewsApi: OpenApiResource = (registry, { errors, json }) => {
  const id = z.object({ id: z.coerce.number().int() });
  registry.registerPath({
    method: "get",
    path: "/api/v1/views",
    summary: "Saved views: the caller's own and those shared with the organization (session)",
    request: { query: viewsQuery },
    responses: { 200: json(viewsResponse, "Views by name"), ...errors(400, 401) },
  });
  registry.registerPath({
    method: "post",
    path: "/api/v1/views",
    summary: "Save a view: a dashboard page and its query string (session; any role)",
    request: { body: { required: true, content: { "application/json": { schema: viewCreate } } } },
    responses: { 200: json(viewSchema, "The saved view"), ...errors(400, 401) },
  });
  registry.registerPath({
    method: "patch",
    path: "/api/v1/views/{id}",
    summary: "Rename, re-point or share a view (owner only); isDefault makes a readable view the caller's landing view",
    request: { params: id, body: { required: true, content: { "application/json": { schema: viewPatch } } } },
    responses: { 200: json(viewSchema, "The view after the change"), ...errors(400, 401, 403, 404) },
  });
  registry.registerPath({
    method: "delete",
    path: "/api/v1/views/{id}",
    summary: "Delete a view (owner only)",
    request: { params: id },
    responses: { 200: json(z.strictObject({ deleted: z.number() }), "The deleted view's id"), ...errors(401, 403, 404) },
  });
};
