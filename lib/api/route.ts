// The one route wrapper: resolves the caller, checks permission, parses input with zod, maps errors to one JSON shape.
import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import { apiKeyCaller, callerAllows, sessionUser, type Caller } from "@/lib/auth/caller";
import type { Permission } from "@/lib/auth/permissions";
import { isSameOriginMutation } from "@/lib/auth/same-origin";
import { runOnReplica } from "@/lib/db";
import { env } from "@/lib/env";
import { isDepartmentScoped } from "@/lib/auth/scope";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { bodyLimit, checkContentLength, checkDeclaredLength, readBodyCapped, type BodyLimit } from "./body";
import {
  ApiError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  QueryTimeoutError,
  ServiceUnavailableError,
  UnauthorizedError,
  isDatabaseUnavailable,
  isQueryTimeout,
  type ErrorDetail,
} from "./errors";
import { enforceReadRateLimit } from "./rate-limit";

type AuthMode = "session" | "apiKey" | "either";

type HandlerContext<Q, B, P> = { req: NextRequest; caller: Caller; query: Q; body: B; params: P; requestId: string };

type RouteOptions<Q, B, P> = {
  auth: AuthMode;
  /** One permission for every caller, or one for API keys and one for users (e.g. event corrections: ingest / admin). */
  permission: Permission | { apiKey: Permission; user: Permission };
  /**
   * Set on mutations whose lib function checks every department it touches (lib/auth/scope.ts), or that touch
   * only the caller's own account (password, two-factor, sessions). Any other mutation is refused to
   * department-scoped users: by default a change is treated as organisation-wide.
   */
  departmentChecked?: true;
  query?: ZodType<Q>;
  /** JSON body schema; routes that read their own body (e.g. ingestion) leave it out. */
  body?: ZodType<B>;
  /** Body size cap (413 above it); default "json" (BODY_LIMIT_JSON_BYTES). Routes reading their own body name theirs. */
  bodyLimit?: BodyLimit;
  handler: (ctx: HandlerContext<Q, B, P>) => Promise<unknown>;
  /** How an API key is looked up; default apiKeyCaller (budget checks use their cached lookup). */
  apiKeyLookup?: (authorization: string) => Promise<Caller | null>;
  /** A read-only dashboard GET: its handler reads from DATABASE_READ_URL when set (lib/db.ts runOnReplica). */
  replica?: true;
  /** Open to a user the organization still requires to enrol in two-factor (the enrolment routes themselves). */
  beforeTwoFactor?: true;
  /** Error bodies in a protocol's own shape (OTLP's google.rpc.Status); default: the app's JSON error. */
  errorResponse?: (error: ApiError, req: NextRequest, requestId: string) => Response;
};

export const TWO_FACTOR_ENROLMENT_REQUIRED =
  "Your organization requires two-factor authentication for the admin and finance roles: set it up on the Security page (/account) first";

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
}

/** The caller's request id (bounded), or a new one: echoed in every response and log line. */
export function requestIdOf(req: NextRequest): string {
  return requestIdFrom(req.headers.get("x-request-id"));
}

function requestIdFrom(header: string | null | undefined): string {
  return header?.slice(0, 64) || randomUUID();
}

function errorBody(error: ApiError) {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
}

export function errorResponse(error: ApiError, requestId: string) {
  return NextResponse.json(errorBody(error), { status: error.status, headers: { ...error.headers, "x-request-id": requestId } });
}

/** Turns anything thrown into an ApiError; unexpected errors are logged once, with the request id. */
export function toApiError(error: unknown, requestId: string, route: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof z.ZodError) return new BadRequestError("Invalid request", zodDetails(error));
  if (isQueryTimeout(error)) {
    log.warn("request query cancelled by the statement timeout", { requestId, route });
    return new QueryTimeoutError(env().REQUEST_STATEMENT_TIMEOUT_MS);
  }
  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { requestId, route });
    return new ServiceUnavailableError();
  }
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") return new ConflictError("A record with the same unique value already exists");
    if (error.code === "P2025") return new NotFoundError();
    if (error.code === "P2003") return new BadRequestError("A referenced record does not exist");
  }
  log.error("unhandled error", { requestId, route, error });
  return new ApiError(500, "internal_error", `Internal error (request id ${requestId})`);
}

async function resolveCaller(req: NextRequest, mode: AuthMode, apiKeyLookup: (authorization: string) => Promise<Caller | null> = apiKeyCaller): Promise<Caller | null> {
  const authorization = req.headers.get("authorization");
  if (mode !== "session" && authorization) return apiKeyLookup(authorization);
  if (mode !== "apiKey") return sessionUser();
  return null;
}

async function readJson(req: NextRequest): Promise<unknown> {
  return jsonBody(req.headers.get("content-type"), (bytes, setting) => readBodyCapped(req, bytes, setting));
}

async function jsonBody(contentType: string | null | undefined, read: (bytes: number, setting: string) => Promise<Buffer>): Promise<unknown> {
  if (!contentType?.includes("application/json")) {
    throw new BadRequestError("Expected Content-Type: application/json");
  }
  const { bytes, setting } = bodyLimit("json");
  const raw = await read(bytes, setting);
  try {
    return JSON.parse(new TextDecoder().decode(raw)); // strips a BOM, as req.json() did
  } catch {
    throw new BadRequestError("Request body is not valid JSON");
  }
}

function parse<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequestError(`Invalid ${what}`, zodDetails(result.error));
  return result.data;
}

/** Everything between knowing the caller and reading the input: who may call, how often, from where. */
async function admit(caller: Caller | null, options: AdmitOptions, method: string, sameOrigin: () => boolean): Promise<Caller> {
  if (!caller) throw new UnauthorizedError();
  if (caller.kind === "user" && caller.mustEnrolTwoFactor && !options.beforeTwoFactor) {
    throw new ForbiddenError(TWO_FACTOR_ENROLMENT_REQUIRED);
  }
  const permission = typeof options.permission === "string" ? options.permission : options.permission[caller.kind];
  // Ingestion writes and budget checks count against their own per-key limits (those routes enforce them).
  if ((permission !== "ingest" && permission !== "check") || method === "GET") await enforceReadRateLimit(caller);
  if (caller.kind === "user" && !sameOrigin()) {
    throw new ForbiddenError("Cross-site request refused: the Origin header must match this site");
  }
  if (!callerAllows(caller, permission)) {
    throw new ForbiddenError(
      caller.kind === "apiKey"
        ? `This API key lacks the '${permission}' scope`
        : `The ${caller.role} role does not allow '${permission}'`,
    );
  }
  if (method !== "GET" && !options.departmentChecked && isDepartmentScoped(caller)) {
    throw new ForbiddenError("This change is not limited to your departments; department-scoped users cannot make it");
  }
  return caller;
}

type AdmitOptions = Pick<RouteOptions<unknown, unknown, unknown>, "permission" | "beforeTwoFactor" | "departmentChecked">;

/** A request as the fast routes see it (a Node request in scripts/serve.mjs, lib/api/fast-routes.ts). */
export type PlainRequest = { method: string; path: string; header: (name: string) => string | undefined; readBody: (bytes: number, setting: string) => Promise<Buffer> };
export type PlainAnswer = { status: number; headers: Record<string, string>; body: string };

/** An API-key JSON route's options, usable with both withRoute and fastRoute (whose handlers get no NextRequest). */
export type FastRouteOptions<B> = Omit<RouteOptions<undefined, B, undefined>, "auth" | "handler" | "query" | "replica" | "errorResponse"> & {
  auth: "apiKey";
  handler: (ctx: Omit<HandlerContext<undefined, B, unknown>, "req">) => Promise<unknown>;
};

/**
 * withRoute's steps for an API-key route with a JSON body, without NextRequest/Response (web streams cost more CPU
 * than the budget check itself): the same admission, body cap, parsing, errors and JSON answers.
 */
export function fastRoute<B>(options: FastRouteOptions<B>) {
  return async (req: PlainRequest): Promise<PlainAnswer> => {
    const requestId = requestIdFrom(req.header("x-request-id"));
    let status = 200;
    let headers: Record<string, string> = {};
    let payload: unknown;
    try {
      const limit = bodyLimit(options.bodyLimit ?? "json");
      checkDeclaredLength(req.header("content-length"), limit.bytes, limit.setting);
      const authorization = req.header("authorization");
      const found = authorization ? await (options.apiKeyLookup ?? apiKeyCaller)(authorization) : null;
      const caller = await admit(found, options, req.method, () => false);
      const body = options.body ? parse(options.body, await jsonBody(req.header("content-type"), req.readBody), "request body") : (undefined as B);
      payload = await options.handler({ caller, query: undefined, body, params: undefined, requestId });
    } catch (error) {
      const apiError = toApiError(error, requestId, `${req.method} ${req.path}`);
      status = apiError.status;
      headers = apiError.headers ?? {};
      payload = errorBody(apiError);
    }
    return { status, headers: { ...headers, "content-type": "application/json", "x-request-id": requestId }, body: JSON.stringify(payload) };
  };
}

export function withRoute<Q = undefined, B = undefined, P = Record<string, string>>(options: RouteOptions<Q, B, P>) {
  return async (req: NextRequest, context: { params: Promise<P> }) => {
    const requestId = requestIdOf(req);
    const route = `${req.method} ${req.nextUrl.pathname}`;
    try {
      // A declared length over the cap is refused before authentication or any read.
      const limit = bodyLimit(options.bodyLimit ?? "json");
      checkContentLength(req, limit.bytes, limit.setting);
      const caller = await admit(await resolveCaller(req, options.auth, options.apiKeyLookup), options, req.method, () => isSameOriginMutation(req));
      const query = options.query
        ? parse(options.query, Object.fromEntries(req.nextUrl.searchParams), "query parameters")
        : (undefined as Q);
      const body = options.body ? parse(options.body, await readJson(req), "request body") : (undefined as B);
      const params = context?.params ? await context.params : ({} as P);
      const run = () => options.handler({ req, caller, query, body, params, requestId });
      const result = options.replica && req.method === "GET" ? await runOnReplica(run) : await run();
      if (result instanceof Response) {
        result.headers.set("x-request-id", requestId);
        return result;
      }
      return NextResponse.json(result, { headers: { "x-request-id": requestId } });
    } catch (error) {
      const apiError = toApiError(error, requestId, route);
      return options.errorResponse ? options.errorResponse(apiError, req, requestId) : errorResponse(apiError, requestId);
    }
  };
}
