// The /api/v1 OpenAPI document, generated from the zod schemas that each resource registers (never hand-written).
import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { registerInvitationsApi } from "@/lib/admin/invitation-openapi";
import { registerAdminApi } from "@/lib/admin/openapi";
import { registerAlertsApi } from "@/lib/alerts/openapi";
import { registerApprovalsApi } from "@/lib/approvals/openapi";
import { registerAccountApi } from "@/lib/auth/openapi";
import { registerAllocationApi } from "@/lib/allocation/openapi";
import { registerFxRatesApi } from "@/lib/currency/openapi";
import { registerDashboardApi } from "@/lib/analytics/openapi";
import { registerScenariosApi } from "@/lib/analytics/scenario-openapi";
import { registerCreditNotesApi } from "@/lib/billing/credit-note-openapi";
import { registerBillingApi } from "@/lib/billing/openapi";
import { registerBudgetsApi } from "@/lib/budgets/openapi";
import { registerConnectorsApi } from "@/lib/connectors/openapi";
import { registerFormatsApi } from "@/lib/formats/openapi";
import { registerEventsApi } from "@/lib/ingest/openapi";
import { registerJobsApi } from "@/lib/jobs/openapi";
import { registerOnboardingApi } from "@/lib/onboarding/openapi";
import { registerOpsApi } from "@/lib/ops/openapi";
import { registerPricingApi } from "@/lib/pricing/openapi";
import { registerRecomputeApi } from "@/lib/recompute/openapi";
import { registerRetentionApi } from "@/lib/retention/openapi";
import { registerViewsApi } from "@/lib/views/openapi";

/** Shared pieces handed to each resource's registration function. */
export type OpenApiShared = {
  /** Responses in the one error shape of lib/api/route.ts, e.g. errors(400, 401, 403). */
  errors: (...statuses: number[]) => Record<number, ResponseConfig>;
  /** Security requirement for routes that take only an API key (ingestion). */
  apiKey: Record<string, string[]>[];
  /** Routes that take an API key or a signed-in session. Session-only routes declare nothing: the document's default. */
  apiKeyOrSession: Record<string, string[]>[];
  /** A JSON response with its schema. */
  json: (schema: z.ZodType, description: string) => ResponseConfig;
  /** A required JSON request body with its schema: `request: body(Schema)`. */
  body: (schema: z.ZodType) => { body: { required: true; content: { "application/json": { schema: z.ZodType } } } };
};

/** A resource adds its paths (and named schemas) to the registry. */
export type OpenApiResource = (registry: OpenAPIRegistry, shared: OpenApiShared) => void;

// Add each resource's registration function here.
const resources: OpenApiResource[] = [registerEventsApi, registerFormatsApi, registerBillingApi, registerCreditNotesApi, registerAllocationApi, registerAlertsApi, registerDashboardApi, registerScenariosApi, registerAdminApi, registerInvitationsApi, registerOnboardingApi, registerAccountApi, registerOpsApi, registerRecomputeApi, registerRetentionApi, registerJobsApi, registerPricingApi, registerViewsApi, registerFxRatesApi, registerConnectorsApi, registerBudgetsApi, registerApprovalsApi];

export const ErrorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({ example: "invalid_request" }),
      message: z.string(),
      details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: "Error" });

const statusText: Record<number, string> = {
  400: "Malformed request; the message names the problem",
  401: "Missing, unknown or revoked credentials",
  403: "Authenticated, but lacking the permission or scope",
  404: "Not found",
  409: "Conflict with existing data",
  413: "Request body too large",
  415: "Unsupported Content-Type or Content-Encoding",
  429: "Rate limit exceeded; see the Retry-After header",
  503: "Database unavailable, the request's query ran past the statement timeout (code query_timeout), or ingestion is ahead of the rollups (code ingestion_backlog, nothing stored); retry after the Retry-After header",
};

function json(schema: z.ZodType, description: string): ResponseConfig {
  return { description, content: { "application/json": { schema } } };
}

function errors(...statuses: number[]): Record<number, ResponseConfig> {
  // Every authenticated route is rate-limited and runs under the request statement timeout (README "Bounded reads").
  const all = statuses.includes(401) ? [...new Set([...statuses, 429, 503])] : statuses;
  return Object.fromEntries(
    all.map((status) => [
      status,
      { description: statusText[status] ?? "Error", content: { "application/json": { schema: ErrorBodySchema } } },
    ]),
  );
}

/**
 * Operation ids derived from method and path, so generated clients get stable names without a list to keep:
 * GET /api/v1/customers/{id} → getCustomersById.
 */
function addOperationIds(doc: { paths: Record<string, Record<string, { operationId?: string }>> }) {
  const word = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  for (const [url, operations] of Object.entries(doc.paths)) {
    const parts = url.replace(/^\/api\/v1\//, "").split("/").map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? `By${word(param[1]!)}` : segment.split(/[^A-Za-z0-9]+/).filter(Boolean).map(word).join("");
    });
    for (const [method, operation] of Object.entries(operations)) operation.operationId ??= method + parts.join("");
  }
}

/**
 * zod-to-openapi writes `Named.nullable()` as `allOf: [{$ref}, {type: [T, "null"]}]`, which rejects null (allOf
 * needs the referenced object too). JSON Schema's form is `anyOf: [{$ref}, {type: "null"}]`; the response check
 * against the document (tests/helpers/openapi-responses.ts) found it.
 */
function nullableRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableRefs) as T;
  if (typeof node !== "object" || node === null) return node;
  const entries = Object.entries(node).map(([k, v]) => [k, nullableRefs(v)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  const allOf = object.allOf as Record<string, unknown>[] | undefined;
  if (allOf?.length === 2 && typeof allOf[0]?.$ref === "string" && Array.isArray(allOf[1]?.type) && (allOf[1].type as string[]).includes("null") && Object.keys(allOf[1]).length === 1) {
    delete object.allOf;
    return { ...object, anyOf: [allOf[0], { type: "null" }] } as T;
  }
  return object as T;
}

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key (created with `npm run apikey:create`), sent as `Authorization: Bearer <key>`.",
  });
  registry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description:
      "The session of a user signed in to the web app (`__Secure-next-auth.session-token` over HTTPS). Mutations also need an " +
      "`Origin` header of this site (cross-site requests are refused).",
  });
  const body = (schema: z.ZodType) => ({ body: { required: true as const, content: { "application/json": { schema } } } });
  const shared: OpenApiShared = { errors, json, body, apiKey: [{ apiKey: [] }], apiKeyOrSession: [{ apiKey: [] }, { sessionCookie: [] }] };
  for (const register of resources) register(registry, shared);
  registry.registerPath({
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This OpenAPI document",
    description: "Public: no credentials needed.",
    security: [],
    responses: { 200: json(z.record(z.string(), z.unknown()), "The OpenAPI 3.1 document of /api/v1") },
  });
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "AgentLedger API", version: "1", description: "Cost, usage and ROI of AI agents as digital labor." },
    servers: [{ url: "/" }],
    // Every operation that names no security of its own is for signed-in users.
    security: [{ sessionCookie: [] }],
  });
  addOperationIds(cached as { paths: Record<string, Record<string, { operationId?: string }>> });
  cached = nullableRefs(cached);
  return cached;
}
