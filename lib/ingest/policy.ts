// What an API key may write: optional bindings (agents, departments, customers), a per-event cost ceiling, and
// whether it may create agents/customers or write into finalized billing periods. Checked per event in
// validate.ts against lookups loaded once per request (ingest.ts), only for the checks the key needs.
import Decimal from "decimal.js";

export type KeyPolicy = {
  /** Empty = any agent. */
  allowedAgents: string[];
  /** Empty = any department. Checked against the event's department, else its agent's default department. */
  allowedDepartmentIds: number[];
  /** Empty = any customer. An event without a customer is always allowed. */
  allowedCustomers: string[];
  /** Decimal string in the organization currency; null = no ceiling. */
  maxCostPerEvent: string | null;
  mayCreateEntities: boolean;
  mayWriteFinalized: boolean;
};

/** Trusted writers (admin file uploads, connectors an admin configured): everything, as before keys had policies. */
export const UNRESTRICTED: KeyPolicy = {
  allowedAgents: [],
  allowedDepartmentIds: [],
  allowedCustomers: [],
  maxCostPerEvent: null,
  mayCreateEntities: true,
  mayWriteFinalized: true,
};

/** Lookups a policy needs; each is loaded only when the policy uses it. */
export type PolicyLookups = {
  /** Known agents of the batch: key → default department id (null = none). */
  agents: Map<string, number | null> | null;
  /** Known customers of the batch. */
  customers: Set<string> | null;
  /** Finalized billing periods as [start, end) in ms, with their label. */
  finalized: { start: number; end: number; period: string }[] | null;
};

export type CompiledPolicy = {
  agents: Set<string> | null;
  departments: Set<number> | null;
  customers: Set<string> | null;
  ceiling: Decimal | null;
  policy: KeyPolicy;
  needs: { agents: boolean; customers: boolean; finalized: boolean };
};

export function compilePolicy(policy: KeyPolicy): CompiledPolicy {
  const departments = policy.allowedDepartmentIds.length ? new Set(policy.allowedDepartmentIds) : null;
  return {
    agents: policy.allowedAgents.length ? new Set(policy.allowedAgents) : null,
    departments,
    customers: policy.allowedCustomers.length ? new Set(policy.allowedCustomers) : null,
    ceiling: policy.maxCostPerEvent === null ? null : new Decimal(policy.maxCostPerEvent),
    policy,
    needs: { agents: !policy.mayCreateEntities || departments !== null, customers: !policy.mayCreateEntities, finalized: !policy.mayWriteFinalized },
  };
}

const list = (values: Iterable<string | number>) => {
  const all = [...values].map(String);
  return all.length > 5 ? `${all.slice(0, 5).join(", ")} and ${all.length - 5} more` : all.join(", ");
};

/** Errors ("field: reason") for one event under a key's policy; empty when it may be stored. */
export function policyErrors(
  event: { agent: string; customer: string | null; departmentId: number | null; departmentCode: string | null; at: number; cost: string },
  compiled: CompiledPolicy,
  lookups: PolicyLookups,
): string[] {
  const errors: string[] = [];
  const { policy } = compiled;
  if (compiled.agents && !compiled.agents.has(event.agent)) {
    errors.push(`agent: '${event.agent}' is not one of this API key's agents (${list(compiled.agents)})`);
  } else if (!policy.mayCreateEntities && lookups.agents && !lookups.agents.has(event.agent)) {
    errors.push(`agent: unknown agent '${event.agent}', and this API key may not create agents`);
  }
  if (event.customer !== null) {
    if (compiled.customers && !compiled.customers.has(event.customer)) {
      errors.push(`customer: '${event.customer}' is not one of this API key's customers (${list(compiled.customers)})`);
    } else if (!policy.mayCreateEntities && lookups.customers && !lookups.customers.has(event.customer)) {
      errors.push(`customer: unknown customer '${event.customer}', and this API key may not create customers`);
    }
  }
  if (compiled.departments) {
    const department = event.departmentId ?? lookups.agents?.get(event.agent) ?? null;
    if (department === null) {
      errors.push(`department: required, since this API key is bound to departments and agent '${event.agent}' has no default department`);
    } else if (!compiled.departments.has(department)) {
      errors.push(
        event.departmentCode === null
          ? `department: agent '${event.agent}' books to a department outside this API key's departments`
          : `department: '${event.departmentCode}' is outside this API key's departments`,
      );
    }
  }
  if (compiled.ceiling && new Decimal(event.cost).gt(compiled.ceiling)) {
    errors.push(`cost: ${event.cost} exceeds this API key's ceiling of ${compiled.ceiling.toFixed()} per event`);
  }
  if (!policy.mayWriteFinalized && lookups.finalized) {
    const period = lookups.finalized.find((p) => event.at >= p.start && event.at < p.end);
    if (period) errors.push(`timestamp: falls in ${period.period}, a finalized billing period, and this API key may not write into finalized periods`);
  }
  return errors;
}
