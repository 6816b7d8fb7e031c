// The admin sections and the permission each needs; the layout and the index only show what the role allows.
import type { Permission } from "@/lib/auth/permissions";

export const adminSections: { href: string; label: string; permission: Permission; description: string }[] = [
  { href: "/admin/users", label: "Users", permission: "admin", description: "Invite or create users, set roles and department scope, deactivate." },
  { href: "/admin/departments", label: "Departments", permission: "budgets:write", description: "The cost-center tree: parents, owners, budgets and alert thresholds, agents, archive." },
  { href: "/admin/alerts", label: "Alerts and channels", permission: "budgets:write", description: "Alert thresholds per department, notification channels with a test send, and the delivery log." },
  { href: "/admin/agents", label: "Agents", permission: "admin", description: "Agents, their platform, model, default department, tags and status." },
  { href: "/admin/task-types", label: "Task types", permission: "baselines:write", description: "Units of work and their human baseline: minutes and loaded hourly cost." },
  { href: "/admin/model-prices", label: "Model prices", permission: "admin", description: "Prices per million tokens by token class, with effective dates." },
  { href: "/admin/fx-rates", label: "FX rates", permission: "admin", description: "Dated exchange rates: enter them or import the ECB's reference-rate files." },
  { href: "/admin/recompute", label: "Recompute", permission: "admin", description: "Re-price stored events after a price change: preview the delta, run it, see past runs." },
  { href: "/admin/meters", label: "Meters", permission: "billing:write", description: "What charges price: usage events, or outcomes (tasks by type, handler, agent and status)." },
  { href: "/admin/rate-cards", label: "Rate cards", permission: "billing:write", description: "Price plan versions and their charges: prices, tiers, floors and caps, guarantees, tax categories; new versions from a date." },
  { href: "/admin/tax-rates", label: "Tax rates", permission: "admin", description: "Tax rates by country, region and tax category, with effective dates." },
  { href: "/admin/customers", label: "Customers", permission: "billing:write", description: "Billable accounts and the price plans they are on." },
  { href: "/admin/connectors", label: "Connectors", permission: "admin", description: "Scheduled pulls from provider usage and cost APIs." },
  { href: "/admin/api-keys", label: "API keys", permission: "admin", description: "Keys for sources: scopes, rate limits, last use, revocation." },
  { href: "/admin/settings", label: "Settings", permission: "admin", description: "Organization name, currency and time zone; the issuer on invoices (legal name, address, tax ID, logo, payment terms and instructions)." },
  { href: "/admin/jobs", label: "Jobs", permission: "admin", description: "Background jobs: queued, running, failed (with their errors and a retry) and recently completed." },
  { href: "/admin/audit-log", label: "Audit log", permission: "admin", description: "Every configuration change and billing action." },
];
