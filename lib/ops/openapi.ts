// OpenAPI registration of the operational endpoints: liveness, readiness and the first-admin setup.
import { z } from "zod";
import type { OpenApiResource } from "@/lib/api/openapi";
import { setupRequest, setupResponse } from "@/lib/setup/schemas";

export const registerOpsApi: OpenApiResource = (registry, { errors, json }) => {
  registry.registerPath({
    method: "get",
    path: "/api/health",
    summary: "Liveness: the process answers; also reports whether the database is reachable",
    description: "No authentication. 503 with `db: unavailable` while the database is down (the process itself is alive).",
    responses: {
      200: json(z.strictObject({ status: z.literal("ok"), db: z.literal("ok") }), "Alive, database reachable"),
      503: json(z.strictObject({ status: z.literal("degraded"), db: z.literal("unavailable"), reason: z.string() }), "Alive, database unreachable"),
    },
  });
  registry.registerPath({
    method: "get",
    path: "/api/ready",
    summary: "Readiness: database reachable and every migration of this build applied",
    description: "No authentication. Send traffic to this instance only while it answers 200.",
    responses: {
      200: json(z.strictObject({ status: z.literal("ready") }), "Ready"),
      503: json(z.strictObject({ status: z.literal("not_ready"), reason: z.string() }), "Not ready; the reason names what is missing"),
    },
  });
  registry.registerPath({
    method: "post",
    path: "/api/setup",
    summary: "Create the first admin with the one-time setup link's token",
    description: "No authentication: works only on a database without users, once, within an hour of start-up. Audited.",
    request: { body: { required: true, content: { "application/json": { schema: setupRequest } } } },
    responses: {
      201: json(setupResponse, "The admin was created"),
      ...errors(400, 409),
      410: json(z.object({ error: z.object({ code: z.literal("setup_link_invalid"), message: z.string() }) }), "The link is invalid, expired or used"),
    },
  });
};
