// Kinds about the organization's billing only (customers' commitments, invoices): subscribed organization-wide, never per department. A module of its
// own, without imports, so the subscriptions grid (a client component) can use it.
export const ORGANIZATION_ONLY_KINDS: readonly string[] = ["commitment", "invoice.finalized", "invoices.run"];
