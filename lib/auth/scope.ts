// Department scope on writes and on organisation-wide data. One rule: a department-scoped user acting on
// anything that is not provably inside their departments gets 403 — whether or not it exists — so the
// answer reveals nothing about other departments. (Reads of a single out-of-scope agent keep their 404.)
import "server-only";
import { ForbiddenError } from "@/lib/api/errors";
import { departmentScope } from "@/lib/analytics/scope";
import type { Caller } from "./caller";

export class OutOfScopeError extends ForbiddenError {
  constructor(what: string) {
    super(`${what} is outside your departments`);
  }
}

/** True when the caller is limited to departments (API keys and unscoped users are not). */
export function isDepartmentScoped(caller: Caller): boolean {
  return departmentScope(caller) !== null;
}

/**
 * Throws 403 unless every id is one of the caller's departments. `null` (no department: an unassigned agent,
 * an organisation-wide alert) is never in a scoped caller's departments.
 */
export function assertDepartmentsInScope(caller: Caller, ids: readonly (number | null | undefined)[], what = "This department"): void {
  const scope = departmentScope(caller);
  if (!scope) return;
  for (const id of ids) if (id === null || id === undefined || !scope.includes(id)) throw new OutOfScopeError(what);
}

/** Invoices, customers, plans, commitments, users, keys, settings…: not split by department, so scoped users get 403. */
export function assertOrganizationWide(caller: Caller, what: string): void {
  if (isDepartmentScoped(caller)) {
    throw new ForbiddenError(`${what} cover the whole organisation; department-scoped users cannot see or change them`);
  }
}
