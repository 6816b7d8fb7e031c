// Inline validation from the API's own zod schemas: a form checks its value with the schema the route parses,
// and a 400 from the API (its details name the same paths) lands on the same fields.
import type { ZodType } from "zod";
import { ApiClientError } from "@/components/api-client";

export type FieldErrors = Record<string, string>;

/** The first message per top-level field ("thresholds.2.percent" → key "thresholds.2.percent" and "thresholds"). */
export function fieldErrors(schema: ZodType, value: unknown): FieldErrors {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join(".") || "(root)";
    errors[path] ??= issue.message;
    const top = String(issue.path[0] ?? "(root)");
    errors[top] ??= issue.message;
  }
  return errors;
}

/** The API's per-field details of a failed request, keyed like fieldErrors. */
export function apiFieldErrors(error: Error | null): FieldErrors {
  if (!(error instanceof ApiClientError) || !error.details) return {};
  const errors: FieldErrors = {};
  for (const d of error.details) {
    errors[d.path] ??= d.message;
    errors[d.path.split(".")[0]!] ??= d.message;
  }
  return errors;
}
