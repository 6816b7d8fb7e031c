// Domain errors carry their HTTP status; the route wrapper turns them into one JSON error shape.

export type ErrorDetail = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export class BadRequestError extends ApiError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(400, "invalid_request", message, details);
  }
}
export class UnauthorizedError extends ApiError {
  constructor(message = "Authentication required: sign in or send 'Authorization: Bearer <api key>'") {
    super(401, "unauthorized", message);
  }
}
export class ForbiddenError extends ApiError {
  constructor(message = "Your role does not allow this action") {
    super(403, "forbidden", message);
  }
}
export class NotFoundError extends ApiError {
  constructor(message = "Not found") {
    super(404, "not_found", message);
  }
}
export class ConflictError extends ApiError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}
export class PayloadTooLargeError extends ApiError {
  constructor(message: string) {
    super(413, "payload_too_large", message);
  }
}
export class UnsupportedMediaTypeError extends ApiError {
  constructor(message: string) {
    super(415, "unsupported_media_type", message);
  }
}
export class RateLimitedError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, "rate_limited", `Rate limit exceeded; retry after ${retryAfterSeconds} s`, undefined, {
      "Retry-After": String(retryAfterSeconds),
    });
  }
}
export class ServiceUnavailableError extends ApiError {
  constructor(message = "The database is unavailable; retry shortly") {
    super(503, "service_unavailable", message, undefined, { "Retry-After": "5" });
  }
}

/** Ingestion is ahead of the rollup fold by more than INGEST_TAIL_LIMIT_ROWS: nothing of the request was stored. */
export class IngestionBacklogError extends ApiError {
  constructor(tailRows: number, limit: number) {
    super(503, "ingestion_backlog", `Ingestion is ahead of the rollups by ${tailRows} rows (limit ${limit}); nothing was stored, retry after the Retry-After header`, undefined, {
      "Retry-After": "2",
    });
  }
}

/** A request query cancelled by REQUEST_STATEMENT_TIMEOUT_MS: the server is fine, this question was too expensive. */
export class QueryTimeoutError extends ApiError {
  constructor(timeoutMs: number) {
    super(503, "query_timeout", `The query ran longer than the ${timeoutMs / 1000} s allowed per request and was cancelled; ask for a shorter range, fewer groups or narrower filters`, undefined, {
      "Retry-After": "5",
    });
  }
}

/** PostgreSQL's "canceling statement due to statement timeout" (SQLSTATE 57014), however the driver wrapped it. */
export function isQueryTimeout(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, message, originalCode } = current as { code?: unknown; message?: unknown; originalCode?: unknown };
    if (code === "57014" || originalCode === "57014") return true;
    if (typeof message === "string" && /canceling statement due to statement timeout/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Connection-level failures (server down, restarting, unreachable) rather than bad queries. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|57P0[123]|08\d\d\d|3D000|P1001|P1002|P1003|P1017)$/.test(code)) return true;
    if (typeof message === "string" && /(Connection terminated|connect ECONNREFUSED|terminating connection|the database system is (starting up|shutting down))/i.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
