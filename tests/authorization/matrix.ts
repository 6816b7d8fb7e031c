// The authorization matrix: for every route handler method and every page on disk, what each kind of
// caller gets. tests/authorization-matrix.integration.test.ts fails when a route or page has no entry here.
//
// Pages use "notFound" for a public link page opened with a bad token (the plain 404 page).
//
// Adding a route: add an entry keyed "<METHOD> <pattern>" (pattern = the folder path under app/, route
// groups dropped, e.g. "GET /api/v1/agents/[key]"), with a concrete `path` and the expected status per
// caller, usually from one of the presets below. Mutations are sent with an invalid or empty JSON body
// and ids that do not exist, so an authorized caller gets 400/404 and nothing changes; that status still
// proves the caller got past authorization. Pages use "ok" | "forbidden" | "login" | "home".
//
// Department scope: `scoped` (a viewer) and `scopedFinance` (a finance user) are limited to SUPPORT. Every 200
// response and page they get is checked for ZZLEAK's marker and totals; there is no exemption. Organisation-wide
// data (invoices, customers, plans, commitments) is 403 for them; a change outside their departments is 403, and
// any change a route does not check against their departments is 403 too (lib/api/route.ts `departmentChecked`).

export const callers = ["admin", "finance", "ops", "viewer", "scoped", "scopedFinance", "anon", "badKey", "ingestKey", "readKey"] as const;
export type CallerName = (typeof callers)[number];
export type Expect = Record<CallerName, number>;
export type PageOutcome = "ok" | "forbidden" | "login" | "home" | "notFound";
export type PageExpect = Record<CallerName, PageOutcome>;

export type ApiEntry = {
  path: string;
  expect: Expect;
  /** JSON body for non-GET requests; default {}. */
  body?: unknown;
  /** For the leak check: this response must contain the other department's marker for an unscoped admin. */
  probe?: boolean;
  /**
   * A known deviation from the intended policy, left to the route's owner: the case runs as an expected
   * failure, so it turns red (and this marker must go) once the route is fixed.
   */
  knownGap?: string;
};
export type PageEntry = { path: string; expect: PageExpect; knownGap?: string };

/** Session callers get `ok`; the rest as given. */
const sessions = (admin: number, finance: number, ops: number, viewer: number, scoped: number, scopedFinance: number) => ({ admin, finance, ops, viewer, scoped, scopedFinance });

/** Readable by every role and by read-scoped API keys. */
export const readEither = (ok = 200): Expect => ({ ...sessions(ok, ok, ok, ok, ok, ok), anon: 401, badKey: 401, ingestKey: 403, readKey: ok });
/** Any signed-in user, not API keys (the route only looks at the session). */
export const readSession = (ok = 200): Expect => ({ ...sessions(ok, ok, ok, ok, ok, ok), anon: 401, badKey: 401, ingestKey: 401, readKey: 401 });
/** Organisation-wide data (invoices, customers): readable, except by department-scoped users. */
export const orgWideRead = (ok = 200): Expect => ({ ...readEither(ok), scoped: 403, scopedFinance: 403 });
/** Admin session only. */
export const adminOnly = (ok: number): Expect => ({ ...sessions(ok, 403, 403, 403, 403, 403), anon: 401, badKey: 401, ingestKey: 401, readKey: 401 });
/** Admin and finance sessions (billing actions, budgets, ROI baselines); not the scoped finance user (organisation-wide). */
export const financeOrAdmin = (ok: number): Expect => ({ ...sessions(ok, ok, 403, 403, 403, 403), anon: 401, badKey: 401, ingestKey: 401, readKey: 401 });
/** Ingestion: API keys with the ingest scope only. */
export const ingestOnly = (ok: number): Expect => ({ ...sessions(401, 401, 401, 401, 401, 401), anon: 401, badKey: 401, ingestKey: ok, readKey: 403 });
/** No authentication at all. */
export const open = (status = 200): Expect => ({ ...sessions(status, status, status, status, status, status), anon: status, badKey: status, ingestKey: status, readKey: status });
/** The same, but both department-scoped users get `status` (another department's resource). */
const outOfScope = (expect: Expect, status: number): Expect => ({ ...expect, scoped: status, scopedFinance: status });

const pageAll: PageExpect = { admin: "ok", finance: "ok", ops: "ok", viewer: "ok", scoped: "ok", scopedFinance: "ok", anon: "login", badKey: "login", ingestKey: "login", readKey: "login" };
const pageAdmin: PageExpect = { ...pageAll, finance: "forbidden", ops: "forbidden", viewer: "forbidden", scoped: "forbidden", scopedFinance: "forbidden" };
const pageFinance: PageExpect = { ...pageAll, ops: "forbidden", viewer: "forbidden", scoped: "forbidden" };
/** Organisation-wide billing pages: not for department-scoped users. */
const pageOrgWide: PageExpect = { ...pageAll, scoped: "forbidden", scopedFinance: "forbidden" };

const NONE = 999999;
export const apiMatrix: Record<string, ApiEntry[]> = {
  // next-auth's own endpoints (its CSRF token guards its POSTs).
  "GET /api/auth/[...nextauth]": [{ path: "/api/auth/providers", expect: open(200) }],
  "POST /api/auth/[...nextauth]": [{ path: "/api/auth/signout", expect: open(302) }],
  "GET /api/health": [{ path: "/api/health", expect: open(200) }],
  "GET /api/ready": [{ path: "/api/ready", expect: open(200) }],
  // First-admin setup: no session by design; without a valid token it is a 400 for everyone and changes nothing.
  "POST /api/setup": [{ path: "/api/setup", expect: open(400) }],
  // Unknown /api paths: a JSON 404 for everyone (nothing to protect, nothing revealed).
  "GET /api/[...path]": [{ path: "/api/v1/no-such-endpoint", expect: open(404) }, { path: "/api/nothing/here", expect: open(404) }],
  "POST /api/[...path]": [{ path: "/api/v1/no-such-endpoint", expect: open(404) }],
  "PUT /api/[...path]": [{ path: "/api/v1/no-such-endpoint", expect: open(404) }],
  "PATCH /api/[...path]": [{ path: "/api/v1/no-such-endpoint", expect: open(404) }],
  "DELETE /api/[...path]": [{ path: "/api/v1/no-such-endpoint", expect: open(404) }],
  "GET /api/v1/openapi.json": [{ path: "/api/v1/openapi.json", expect: open(200) }],

  // Administration (issue 7).
  "GET /api/v1/invitations": [{ path: "/api/v1/invitations", expect: adminOnly(200) }],
  "POST /api/v1/invitations": [{ path: "/api/v1/invitations", expect: adminOnly(400) }],
  "DELETE /api/v1/invitations/[id]": [{ path: `/api/v1/invitations/${NONE}`, expect: adminOnly(404) }],
  "POST /api/v1/invitations/[id]/resend": [{ path: `/api/v1/invitations/${NONE}/resend`, expect: adminOnly(404) }],
  // The link's token is the credential: no session needed, an unknown token is a 404 for everyone.
  "GET /api/v1/invitations/accept": [{ path: "/api/v1/invitations/accept?token=no-such-token-at-all", expect: open(404) }],
  "POST /api/v1/invitations/accept": [{ path: "/api/v1/invitations/accept", expect: open(400) }],
  // The signed token is the credential: no session or key changes the answer.
  "GET /api/v1/unsubscribe": [{ path: "/api/v1/unsubscribe?token=no-such-token-at-all", expect: open(303) }],
  "POST /api/v1/unsubscribe": [{ path: "/api/v1/unsubscribe?token=no-such-token-at-all", expect: open(404) }, { path: "/api/v1/unsubscribe", expect: open(400) }],
  "GET /api/v1/users": [{ path: "/api/v1/users", expect: adminOnly(200) }],
  "POST /api/v1/users": [{ path: "/api/v1/users", expect: adminOnly(400) }],
  "PATCH /api/v1/users/[id]": [{ path: `/api/v1/users/${NONE}`, expect: adminOnly(404) }],
  "POST /api/v1/users/[id]/sign-out": [{ path: `/api/v1/users/${NONE}/sign-out`, expect: adminOnly(404) }],
  // The signed-in user's own security settings (issue 14): every role, never an API key.
  "GET /api/v1/account": [{ path: "/api/v1/account", expect: readSession(200) }],
  "POST /api/v1/account/sign-out-everywhere": [{ path: "/api/v1/account/sign-out-everywhere", expect: readSession(400) }],
  // Starts a (harmless, unconfirmed) enrolment for each signed-in caller: every matrix user has a password.
  "POST /api/v1/account/two-factor": [{ path: "/api/v1/account/two-factor", expect: readSession(200) }],
  "POST /api/v1/account/password": [{ path: "/api/v1/account/password", expect: readSession(400) }],
  "POST /api/v1/account/two-factor/confirm": [{ path: "/api/v1/account/two-factor/confirm", expect: readSession(400) }],
  "POST /api/v1/account/two-factor/disable": [{ path: "/api/v1/account/two-factor/disable", expect: readSession(400) }],
  "POST /api/v1/account/identities": [{ path: "/api/v1/account/identities", expect: readSession(400) }],
  "DELETE /api/v1/account/identities/[id]": [{ path: `/api/v1/account/identities/${NONE}`, expect: readSession(404) }],
  "POST /api/v1/users/[id]/unlock": [{ path: `/api/v1/users/${NONE}/unlock`, expect: adminOnly(404) }],
  "GET /api/v1/api-keys": [{ path: "/api/v1/api-keys", expect: adminOnly(200) }],
  "POST /api/v1/api-keys": [{ path: "/api/v1/api-keys", expect: adminOnly(400) }],
  "PATCH /api/v1/api-keys/[id]": [{ path: `/api/v1/api-keys/${NONE}`, body: { usageSource: "metrics" }, expect: adminOnly(404) }],
  "DELETE /api/v1/api-keys/[id]": [{ path: `/api/v1/api-keys/${NONE}`, expect: adminOnly(404) }],
  "GET /api/v1/agents": [{ path: "/api/v1/agents", expect: readEither(), probe: true }],
  "POST /api/v1/agents": [{ path: "/api/v1/agents", expect: adminOnly(400) }],
  "GET /api/v1/agents/[key]": [
    { path: "/api/v1/agents/triage", expect: readEither() },
    {
      path: "/api/v1/agents/zzleak-bot",
      expect: outOfScope(readEither(), 404),
    },
  ],
  "PATCH /api/v1/agents/[key]": [
    { path: "/api/v1/agents/no-such-agent", expect: adminOnly(404) },
    // A valid change of another department's agent: 403 for the scoped users (they lack the admin role as well).
    { path: "/api/v1/agents/zzleak-bot", body: { name: "Zzleak bot" }, expect: adminOnly(200) },
  ],
  "GET /api/v1/agents/[key]/events": [
    { path: "/api/v1/agents/triage/events", expect: readEither() },
    // Out of scope: reported as not found, like the agent itself.
    { path: "/api/v1/agents/zzleak-bot/events", expect: outOfScope(readEither(), 404) },
  ],
  "GET /api/v1/task-types": [{ path: "/api/v1/task-types", expect: readEither() }],
  "POST /api/v1/task-types": [{ path: "/api/v1/task-types", expect: financeOrAdmin(400) }],
  "PATCH /api/v1/task-types/[id]": [{ path: `/api/v1/task-types/${NONE}`, expect: financeOrAdmin(404) }],
  "GET /api/v1/model-prices": [{ path: "/api/v1/model-prices", expect: readEither() }],
  "POST /api/v1/model-prices": [{ path: "/api/v1/model-prices", expect: adminOnly(400) }],
  "PATCH /api/v1/model-prices/[id]": [{ path: `/api/v1/model-prices/${NONE}`, expect: adminOnly(404) }],
  "DELETE /api/v1/model-prices/[id]": [{ path: `/api/v1/model-prices/${NONE}`, expect: adminOnly(404) }],
  "GET /api/v1/tax-rates": [{ path: "/api/v1/tax-rates", expect: readEither() }],
  "POST /api/v1/tax-rates": [{ path: "/api/v1/tax-rates", expect: adminOnly(400) }],
  "PATCH /api/v1/tax-rates/[id]": [{ path: `/api/v1/tax-rates/${NONE}`, expect: adminOnly(404) }],
  "DELETE /api/v1/tax-rates/[id]": [{ path: `/api/v1/tax-rates/${NONE}`, expect: adminOnly(404) }],
  // FX rates (issue 20): reference data every role and read key may see; only admins change it.
  "GET /api/v1/fx-rates": [{ path: "/api/v1/fx-rates?base=EUR", expect: readEither() }],
  "PUT /api/v1/fx-rates": [{ path: "/api/v1/fx-rates", expect: adminOnly(400) }],
  "POST /api/v1/fx-rates/import": [{ path: "/api/v1/fx-rates/import?format=csv&mode=apply", expect: adminOnly(415) }],
  "GET /api/v1/fx-rates/pending": [{ path: "/api/v1/fx-rates/pending", expect: readEither() }],
  "GET /api/v1/pricing/unpriced": [{ path: "/api/v1/pricing/unpriced", expect: readEither() }],
  "GET /api/v1/pricing/prices": [{ path: "/api/v1/pricing/prices?limit=5", expect: readEither() }],
  "GET /api/v1/pricing/aliases": [{ path: "/api/v1/pricing/aliases", expect: readEither() }],
  "POST /api/v1/pricing/aliases": [{ path: "/api/v1/pricing/aliases", expect: adminOnly(400) }],
  "DELETE /api/v1/pricing/aliases/[id]": [{ path: `/api/v1/pricing/aliases/${NONE}`, expect: adminOnly(404) }],
  "GET /api/v1/pricing/discounts": [{ path: "/api/v1/pricing/discounts", expect: readEither() }],
  "POST /api/v1/pricing/discounts": [{ path: "/api/v1/pricing/discounts", expect: adminOnly(400) }],
  "DELETE /api/v1/pricing/discounts/[id]": [{ path: `/api/v1/pricing/discounts/${NONE}`, expect: adminOnly(404) }],
  "POST /api/v1/pricing/catalog/preview": [{ path: "/api/v1/pricing/catalog/preview", expect: adminOnly(400) }],
  "POST /api/v1/pricing/catalog": [{ path: "/api/v1/pricing/catalog", expect: adminOnly(400) }],
  "GET /api/v1/pricing/recost": [{ path: "/api/v1/pricing/recost", expect: adminOnly(200) }],
  "POST /api/v1/pricing/recost": [{ path: "/api/v1/pricing/recost", expect: adminOnly(400) }],
  "GET /api/v1/meters": [{ path: "/api/v1/meters", expect: orgWideRead() }],
  "POST /api/v1/meters": [{ path: "/api/v1/meters", expect: financeOrAdmin(400) }],
  "PATCH /api/v1/meters/[key]": [{ path: "/api/v1/meters/no-such-meter", expect: financeOrAdmin(404) }],
  "GET /api/v1/rate-cards": [{ path: "/api/v1/rate-cards", expect: orgWideRead() }],
  "POST /api/v1/rate-cards": [{ path: "/api/v1/rate-cards", expect: financeOrAdmin(400) }],
  "PATCH /api/v1/rate-cards/[id]": [{ path: `/api/v1/rate-cards/${NONE}`, expect: financeOrAdmin(404) }],
  "PATCH /api/v1/rate-cards/[id]/charges/[chargeId]": [{ path: `/api/v1/rate-cards/${NONE}/charges/${NONE}`, expect: financeOrAdmin(404) }],
  "GET /api/v1/customers": [{ path: "/api/v1/customers", expect: orgWideRead(), probe: true }],
  "POST /api/v1/customers": [{ path: "/api/v1/customers", expect: financeOrAdmin(400) }],
  "GET /api/v1/customers/[id]": [{ path: `/api/v1/customers/${NONE}`, expect: orgWideRead(404) }],
  "PATCH /api/v1/customers/[id]": [{ path: `/api/v1/customers/${NONE}`, expect: financeOrAdmin(404) }],
  "POST /api/v1/customers/[id]/plans": [{ path: `/api/v1/customers/${NONE}/plans`, expect: financeOrAdmin(400) }],
  "GET /api/v1/settings": [{ path: "/api/v1/settings", expect: readEither() }],
  "PATCH /api/v1/settings": [{ path: "/api/v1/settings", body: { currency: "x" }, expect: adminOnly(400) }],
  "GET /api/v1/audit-logs": [{ path: "/api/v1/audit-logs", expect: adminOnly(200) }],

  // Ingestion and formats (issues 3 and 8).
  "POST /api/v1/events": [{ path: "/api/v1/events", expect: ingestOnly(400) }],
  // Keys with the ingest (or check) scope; an empty body names the missing agent.
  "POST /api/v1/budget-checks": [{ path: "/api/v1/budget-checks", expect: ingestOnly(400) }],
  "GET /api/v1/budget-limits": [{ path: "/api/v1/budget-limits", expect: financeOrAdmin(200) }],
  "GET /api/v1/budget-limits/use": [
    { path: "/api/v1/budget-limits/use", expect: readEither() },
    { path: "/api/v1/budget-limits/use?agent=triage", expect: readEither() },
    // Another department's agent: not found for scoped users, as on the agent page.
    { path: "/api/v1/budget-limits/use?agent=zzleak-bot", expect: outOfScope(readEither(), 404) },
  ],
  "POST /api/v1/budget-limits": [{ path: "/api/v1/budget-limits", expect: financeOrAdmin(400) }],
  "PATCH /api/v1/budget-limits/[id]": [{ path: `/api/v1/budget-limits/${NONE}`, expect: financeOrAdmin(404) }],
  "DELETE /api/v1/budget-limits/[id]": [{ path: `/api/v1/budget-limits/${NONE}`, expect: financeOrAdmin(404) }],
  "GET /api/v1/events/latest": [{ path: "/api/v1/events/latest", expect: readEither() }],
  // Corrections: an ingest key (its own source, its policy) or an admin session; empty body → 400 past authorization.
  "POST /api/v1/events/[source]/[id]/corrections": [
    { path: "/api/v1/events/matrix-ingest/none/corrections", expect: { ...sessions(400, 403, 403, 403, 403, 403), anon: 401, badKey: 401, ingestKey: 400, readKey: 403 } },
  ],
  "POST /api/v1/recompute/preview": [{ path: "/api/v1/recompute/preview", expect: adminOnly(400) }],
  "GET /api/v1/recompute/runs": [{ path: "/api/v1/recompute/runs", expect: adminOnly(200) }],
  "POST /api/v1/recompute/runs": [{ path: "/api/v1/recompute/runs", expect: adminOnly(400) }],
  "GET /api/v1/recompute/runs/[id]": [{ path: `/api/v1/recompute/runs/${NONE}`, expect: adminOnly(404) }],
  "GET /api/v1/retention": [{ path: "/api/v1/retention", expect: adminOnly(200) }],
  "POST /api/v1/retention/runs": [{ path: "/api/v1/retention/runs", expect: adminOnly(202) }],
  "POST /api/v1/cloudevents": [{ path: "/api/v1/cloudevents", expect: ingestOnly(415) }],
  // An empty OTLP export ({}) is valid and stores nothing.
  "POST /api/v1/otlp/v1/traces": [{ path: "/api/v1/otlp/v1/traces", expect: ingestOnly(200) }],
  "POST /api/v1/otlp/v1/logs": [{ path: "/api/v1/otlp/v1/logs", expect: ingestOnly(200) }],
  "POST /api/v1/otlp/v1/metrics": [{ path: "/api/v1/otlp/v1/metrics", expect: ingestOnly(200) }],
  "POST /api/v1/imports": [
    {
      path: "/api/v1/imports",
      expect: { ...adminOnly(415), ingestKey: 415, readKey: 403 },
    },
  ],
  "GET /api/v1/imports": [{ path: "/api/v1/imports", expect: adminOnly(200) }],
  "POST /api/v1/imports/focus-preview": [{ path: "/api/v1/imports/focus-preview", expect: adminOnly(400) }],
  "GET /api/v1/settings/focus-import": [{ path: "/api/v1/settings/focus-import", expect: adminOnly(200) }],
  "PUT /api/v1/settings/focus-import": [{ path: "/api/v1/settings/focus-import", body: { filter: 1 }, expect: adminOnly(400) }],
  "GET /api/v1/imports/[id]/errors": [{ path: `/api/v1/imports/${NONE}/errors`, expect: { ...adminOnly(404), ingestKey: 404, readKey: 403 } }],
  "GET /api/v1/dimensions": [{ path: "/api/v1/dimensions", expect: readEither(), probe: true }],
  "POST /api/v1/dimensions": [{ path: "/api/v1/dimensions", expect: adminOnly(400) }],
  "DELETE /api/v1/dimensions/[name]": [{ path: "/api/v1/dimensions/no_such_dimension", expect: adminOnly(404) }],
  "GET /api/v1/connectors": [{ path: "/api/v1/connectors", expect: adminOnly(200) }],
  "POST /api/v1/connectors": [{ path: "/api/v1/connectors", expect: adminOnly(400) }],
  "GET /api/v1/connectors/[id]": [{ path: `/api/v1/connectors/${NONE}`, expect: adminOnly(404) }],
  "PATCH /api/v1/connectors/[id]": [{ path: `/api/v1/connectors/${NONE}`, expect: adminOnly(404) }],
  "DELETE /api/v1/connectors/[id]": [{ path: `/api/v1/connectors/${NONE}`, expect: adminOnly(404) }],
  "GET /api/v1/jobs": [{ path: "/api/v1/jobs", expect: adminOnly(200) }],
  "POST /api/v1/jobs/[id]/retry": [{ path: "/api/v1/jobs/00000000-0000-4000-8000-000000000000/retry", expect: adminOnly(404) }],
  "POST /api/v1/connectors/[id]/run": [{ path: `/api/v1/connectors/${NONE}/run`, expect: adminOnly(404) }],
  "GET /api/v1/connectors/[id]/runs": [{ path: `/api/v1/connectors/${NONE}/runs`, expect: adminOnly(200) }],
  "GET /api/v1/salesforce/connections": [{ path: "/api/v1/salesforce/connections", expect: adminOnly(200) }],
  "POST /api/v1/salesforce/connections": [{ path: "/api/v1/salesforce/connections", expect: adminOnly(400) }],
  "GET /api/v1/salesforce/connections/[id]": [{ path: `/api/v1/salesforce/connections/${NONE}`, expect: adminOnly(404) }],
  "PATCH /api/v1/salesforce/connections/[id]": [{ path: `/api/v1/salesforce/connections/${NONE}`, expect: adminOnly(404) }],
  "POST /api/v1/salesforce/connections/[id]/test": [{ path: `/api/v1/salesforce/connections/${NONE}/test`, expect: adminOnly(404) }],
  "POST /api/v1/salesforce/connections/[id]/preview": [{ path: `/api/v1/salesforce/connections/${NONE}/preview`, expect: adminOnly(400) }],
  "GET /api/v1/salesforce/connections/[id]/reconciliation": [{ path: `/api/v1/salesforce/connections/${NONE}/reconciliation?from=2026-11&to=2026-11`, expect: financeOrAdmin(404) }],
  "GET /api/v1/salesforce/connections/[id]/pushes": [{ path: `/api/v1/salesforce/connections/${NONE}/pushes`, expect: adminOnly(404) }],
  "POST /api/v1/salesforce/connections/[id]/pushes/retry": [{ path: `/api/v1/salesforce/connections/${NONE}/pushes/retry`, expect: adminOnly(404) }],
  "POST /api/v1/salesforce/connections/[id]/usage-summaries": [{ path: `/api/v1/salesforce/connections/${NONE}/usage-summaries`, expect: adminOnly(400) }],

  // Dashboards (issue 4).
  "GET /api/v1/overview": [{ path: "/api/v1/overview?from=2026-03-01&to=2026-03-31", expect: readEither(), probe: true }],
  "GET /api/v1/usage": [{ path: "/api/v1/usage?from=2026-03-01&to=2026-03-31&groupBy=agent", expect: readEither(), probe: true }],
  "GET /api/v1/workload": [{ path: "/api/v1/workload?from=2026-03-01&to=2026-03-31", expect: readEither() }],
  "GET /api/v1/roi": [{ path: "/api/v1/roi?from=2026-03-01&to=2026-03-31", expect: readEither() }],
  "PATCH /api/v1/roi/assumptions/[taskType]": [{ path: "/api/v1/roi/assumptions/no-such-task", expect: financeOrAdmin(400) }],
  "POST /api/v1/roi/assumptions/[taskType]/reset": [{ path: "/api/v1/roi/assumptions/no-such-task/reset", expect: financeOrAdmin(404) }],
  // What-ifs and scenarios are any reader's own: department-scoped users included (their figures stay scoped).
  "POST /api/v1/roi/what-if": [{ path: "/api/v1/roi/what-if?from=2026-03-01&to=2026-03-31", body: { baselines: [] }, expect: readEither() }],
  "GET /api/v1/roi/scenarios": [{ path: "/api/v1/roi/scenarios", expect: readSession() }],
  "POST /api/v1/roi/scenarios": [{ path: "/api/v1/roi/scenarios", expect: readSession(400) }],
  "GET /api/v1/roi/scenarios/[id]": [{ path: `/api/v1/roi/scenarios/${NONE}`, expect: readSession(404) }],
  "PATCH /api/v1/roi/scenarios/[id]": [{ path: `/api/v1/roi/scenarios/${NONE}`, expect: readSession(404) }],
  "DELETE /api/v1/roi/scenarios/[id]": [{ path: `/api/v1/roi/scenarios/${NONE}`, expect: readSession(404) }],
  "GET /api/v1/roi/scenarios/shared/[token]": [{ path: "/api/v1/roi/scenarios/shared/no-such-token", expect: readSession(404) }],
  "GET /api/v1/exports/focus": [{ path: "/api/v1/exports/focus?period=2026-03", expect: readEither(), probe: true }],
  "GET /api/v1/exports/focus/metadata": [{ path: "/api/v1/exports/focus/metadata?version=1.2", expect: readEither() }],
  // Events explorer (issue 18): the raw events behind a total, in the caller's department scope.
  "GET /api/v1/events": [
    { path: "/api/v1/events?from=2026-03-01&to=2026-03-31&limit=200", expect: readEither(), probe: true },
    { path: "/api/v1/events?from=2026-03-01&to=2026-03-31&department=ZZLEAK", expect: readEither() },
  ],
  // Saved views (issue 18): a user's own records (any role, department-scoped users too), never an API key.
  "GET /api/v1/views": [{ path: "/api/v1/views", expect: readSession(200) }],
  "POST /api/v1/views": [{ path: "/api/v1/views", expect: readSession(400) }],
  "PATCH /api/v1/views/[id]": [
    { path: `/api/v1/views/${NONE}`, expect: readSession(400) },
    { path: `/api/v1/views/${NONE}`, body: { name: "x" }, expect: readSession(404) },
  ],
  "DELETE /api/v1/views/[id]": [{ path: `/api/v1/views/${NONE}`, expect: readSession(404) }],

  // Cost centers and allocation (issue 5).
  "GET /api/v1/departments": [{ path: "/api/v1/departments", expect: readEither(), probe: true }],
  "POST /api/v1/departments": [{ path: "/api/v1/departments", expect: adminOnly(400) }],
  "PATCH /api/v1/departments/[code]": [{ path: "/api/v1/departments/NO_SUCH", expect: adminOnly(404) }],
  "POST /api/v1/departments/[code]/agents": [{ path: "/api/v1/departments/NO_SUCH/agents", expect: adminOnly(400) }],
  // Getting started (issue 15): a JSON body is refused as not CSV once past authorization.
  "POST /api/v1/departments/import": [{ path: "/api/v1/departments/import", expect: adminOnly(415) }],
  "PUT /api/v1/departments/[code]/budget": [
    // The scoped finance user may change their own departments' budgets: the body is checked, then the code.
    { path: "/api/v1/departments/NO_SUCH/budget", expect: { ...financeOrAdmin(400), scopedFinance: 400 } },
    { path: "/api/v1/departments/SUPPORT/budget", body: { monthlyBudget: null }, expect: { ...financeOrAdmin(200), scopedFinance: 200 } },
    { path: "/api/v1/departments/ZZLEAK/budget", body: { monthlyBudget: null }, expect: financeOrAdmin(200) },
    { path: "/api/v1/departments/NO_SUCH/budget", body: { monthlyBudget: null }, expect: { ...financeOrAdmin(404), scopedFinance: 403 } },
  ],
  "GET /api/v1/allocation": [{ path: "/api/v1/allocation?period=2026-03", expect: readEither(), probe: true }],
  "GET /api/v1/allocation/[code]": [
    { path: "/api/v1/allocation/SUPPORT?period=2026-03", expect: readEither() },
    { path: "/api/v1/allocation/ZZLEAK?period=2026-03", expect: outOfScope(readEither(), 403) },
  ],
  "GET /api/v1/allocation-rules": [{ path: "/api/v1/allocation-rules", expect: readEither(), probe: true }],
  // Rules, month close and the one-file chargeback (issue 19): finance and admin; the scoped finance user within SUPPORT.
  "POST /api/v1/allocation-rules": [{ path: "/api/v1/allocation-rules", expect: { ...financeOrAdmin(400), scopedFinance: 400 } }],
  "PATCH /api/v1/allocation-rules/[id]": [
    { path: `/api/v1/allocation-rules/${NONE}`, expect: { ...financeOrAdmin(400), scopedFinance: 400 } },
    { path: `/api/v1/allocation-rules/${NONE}`, body: { effectiveTo: null }, expect: financeOrAdmin(404) },
  ],
  "DELETE /api/v1/allocation-rules/[id]": [{ path: `/api/v1/allocation-rules/${NONE}`, expect: financeOrAdmin(404) }],
  "POST /api/v1/allocation-rules/preview": [
    { path: "/api/v1/allocation-rules/preview", expect: { ...financeOrAdmin(400), scopedFinance: 400 } },
    { path: "/api/v1/allocation-rules/preview", body: { period: "2026-03", change: { kind: "share", agent: "zzleak-bot" } }, expect: financeOrAdmin(200) },
  ],
  "GET /api/v1/allocation-rules/share-impact": [{ path: "/api/v1/allocation-rules/share-impact?agent=no-such-agent", expect: outOfScope(readSession(404), 403) }],
  "GET /api/v1/allocation-closes": [{ path: "/api/v1/allocation-closes", expect: readEither() }],
  "POST /api/v1/allocation-closes": [{ path: "/api/v1/allocation-closes", expect: financeOrAdmin(400) }],
  "POST /api/v1/allocation-closes/[period]/reopen": [{ path: "/api/v1/allocation-closes/2026-03/reopen", expect: financeOrAdmin(400) }],
  "GET /api/v1/exports/chargeback": [
    { path: "/api/v1/exports/chargeback?period=2026-03&format=csv", expect: { ...financeOrAdmin(200), scopedFinance: 200 }, probe: true },
    { path: "/api/v1/exports/chargeback?period=2026-03&format=pdf", expect: { ...financeOrAdmin(200), scopedFinance: 200 } },
  ],
  "GET /api/v1/gl-mapping": [{ path: "/api/v1/gl-mapping", expect: financeOrAdmin(200), probe: true }],
  "PUT /api/v1/gl-mapping": [{ path: "/api/v1/gl-mapping", body: { departments: "none" }, expect: adminOnly(400) }],
  "GET /api/v1/alerts": [{ path: "/api/v1/alerts", expect: readEither(), probe: true }],
  // Unknown or out of scope: 403 for the scoped finance user either way, so the status reveals nothing.
  "POST /api/v1/alerts/[id]/acknowledge": [{ path: `/api/v1/alerts/${NONE}/acknowledge`, expect: { ...financeOrAdmin(404), scopedFinance: 403, ingestKey: 403, readKey: 403 } }],
  "GET /api/v1/alerts/webhooks": [{ path: "/api/v1/alerts/webhooks", expect: adminOnly(200) }],
  "POST /api/v1/alerts/webhooks": [{ path: "/api/v1/alerts/webhooks", expect: adminOnly(400) }],
  "PATCH /api/v1/alerts/webhooks/[id]": [{ path: `/api/v1/alerts/webhooks/${NONE}`, body: { active: true }, expect: adminOnly(404) }],
  "DELETE /api/v1/alerts/webhooks/[id]": [{ path: `/api/v1/alerts/webhooks/${NONE}`, expect: adminOnly(404) }],
  "POST /api/v1/alerts/webhooks/[id]/test": [{ path: `/api/v1/alerts/webhooks/${NONE}/test`, expect: adminOnly(404) }],
  "GET /api/v1/alerts/deliveries": [{ path: "/api/v1/alerts/deliveries", expect: adminOnly(200) }],
  "GET /api/v1/alerts/webhooks/[id]/subscriptions": [{ path: `/api/v1/alerts/webhooks/${NONE}/subscriptions`, expect: adminOnly(404) }],
  "PUT /api/v1/alerts/webhooks/[id]/subscriptions": [
    { path: `/api/v1/alerts/webhooks/${NONE}/subscriptions`, expect: adminOnly(400) },
    { path: `/api/v1/alerts/webhooks/${NONE}/subscriptions`, body: { subscriptions: [] }, expect: adminOnly(404) },
  ],
  // A user's own email subscriptions (issue 21): every role, never an API key; scoped users within their departments.
  "GET /api/v1/account/notifications": [{ path: "/api/v1/account/notifications", expect: readSession(200) }],
  "PUT /api/v1/account/notifications": [
    { path: "/api/v1/account/notifications", expect: readSession(400) },
    { path: "/api/v1/account/notifications", body: { subscriptions: [{ kind: "digest.weekly", department: "SUPPORT" }] }, expect: readSession(200) },
    { path: "/api/v1/account/notifications", body: { subscriptions: [{ kind: "budget", department: "ZZLEAK" }] }, expect: outOfScope(readSession(200), 403) },
    { path: "/api/v1/account/notifications", body: { subscriptions: [{ kind: "budget", department: null }] }, expect: outOfScope(readSession(200), 403) },
  ],

  // Billing (issue 6).
  "GET /api/v1/invoices": [{ path: "/api/v1/invoices", expect: orgWideRead(), probe: true }],
  "POST /api/v1/invoices/drafts": [{ path: "/api/v1/invoices/drafts", expect: financeOrAdmin(400) }],
  "GET /api/v1/customers/[id]/links": [{ path: `/api/v1/customers/${NONE}/links`, expect: financeOrAdmin(404) }],
  "POST /api/v1/customers/[id]/links": [{ path: `/api/v1/customers/${NONE}/links`, body: { expiresInDays: 91 }, expect: financeOrAdmin(400) }],
  "DELETE /api/v1/customers/[id]/links/[linkId]": [{ path: `/api/v1/customers/${NONE}/links/${NONE}`, expect: financeOrAdmin(404) }],
  // A customer view link's PDF: the token is the credential, so a bad one is a 404 for everyone.
  "GET /c/[token]/invoices/[id]/pdf": [{ path: "/c/no-such-token/invoices/1/pdf", expect: open(404) }],
  "POST /api/v1/pricing/simulations": [{ path: "/api/v1/pricing/simulations", expect: financeOrAdmin(400) }],
  "GET /api/v1/invoices/[id]": [{ path: `/api/v1/invoices/${NONE}`, expect: orgWideRead(404) }, { path: "/api/v1/invoices/1", expect: orgWideRead(), probe: true }],
  "GET /api/v1/invoices/[id]/csv": [{ path: `/api/v1/invoices/${NONE}/csv`, expect: orgWideRead(404) }, { path: "/api/v1/invoices/1/csv", expect: orgWideRead() }],
  "GET /api/v1/invoices/[id]/pdf": [{ path: `/api/v1/invoices/${NONE}/pdf`, expect: orgWideRead(404) }, { path: "/api/v1/invoices/1/pdf", expect: orgWideRead() }],
  "POST /api/v1/invoices/[id]/adjustments": [{ path: `/api/v1/invoices/${NONE}/adjustments`, expect: financeOrAdmin(400) }],
  "POST /api/v1/invoices/[id]/finalize": [{ path: `/api/v1/invoices/${NONE}/finalize`, expect: financeOrAdmin(404) }],
  "POST /api/v1/invoices/[id]/void": [{ path: `/api/v1/invoices/${NONE}/void`, expect: financeOrAdmin(400) }],
  "GET /api/v1/invoices/[id]/credit-notes": [{ path: `/api/v1/invoices/${NONE}/credit-notes`, expect: orgWideRead(404) }, { path: "/api/v1/invoices/1/credit-notes", expect: orgWideRead() }],
  "POST /api/v1/invoices/[id]/credit-notes": [{ path: `/api/v1/invoices/${NONE}/credit-notes`, expect: financeOrAdmin(400) }],
  "GET /api/v1/credit-notes": [{ path: "/api/v1/credit-notes", expect: orgWideRead() }],
  "GET /api/v1/credit-notes/[id]": [{ path: `/api/v1/credit-notes/${NONE}`, expect: orgWideRead(404) }],
  "GET /api/v1/credit-notes/[id]/pdf": [{ path: `/api/v1/credit-notes/${NONE}/pdf`, expect: orgWideRead(404) }],
  "POST /api/v1/invoices/bulk-finalize": [{ path: "/api/v1/invoices/bulk-finalize", expect: financeOrAdmin(400) }],
  "POST /api/v1/invoices/bulk-send": [{ path: "/api/v1/invoices/bulk-send", expect: financeOrAdmin(400) }],
  "POST /api/v1/invoices/[id]/send": [{ path: `/api/v1/invoices/${NONE}/send`, expect: financeOrAdmin(404) }],
  "GET /api/v1/invoices/[id]/sends": [{ path: `/api/v1/invoices/${NONE}/sends`, expect: orgWideRead(404) }, { path: "/api/v1/invoices/1/sends", expect: orgWideRead() }],
  // Four-eyes approvals: finance and admin, organisation-wide (not the department-scoped finance user).
  "GET /api/v1/approvals": [{ path: "/api/v1/approvals", expect: financeOrAdmin(200) }],
  "POST /api/v1/approvals/[id]/approve": [{ path: `/api/v1/approvals/${NONE}/approve`, expect: financeOrAdmin(404) }],
  "POST /api/v1/approvals/[id]/reject": [{ path: `/api/v1/approvals/${NONE}/reject`, expect: financeOrAdmin(400) }],
  "GET /api/v1/approvals/settings": [{ path: "/api/v1/approvals/settings", expect: financeOrAdmin(200) }],
  "PUT /api/v1/approvals/settings": [{ path: "/api/v1/approvals/settings", expect: adminOnly(400) }],
};

export const pageMatrix: Record<string, PageEntry[]> = {
  // Without a valid token the setup page only says the link is invalid, for everyone.
  "/setup": [{ path: "/setup", expect: { admin: "ok", finance: "ok", ops: "ok", viewer: "ok", scoped: "ok", scopedFinance: "ok", anon: "ok", badKey: "ok", ingestKey: "ok", readKey: "ok" } }],
  "/unsubscribe": [{ path: "/unsubscribe?token=no-such-token-at-all", expect: { admin: "ok", finance: "ok", ops: "ok", viewer: "ok", scoped: "ok", scopedFinance: "ok", anon: "ok", badKey: "ok", ingestKey: "ok", readKey: "ok" } }],
  "/invite/[token]": [{ path: "/invite/no-such-token-at-all", expect: { admin: "ok", finance: "ok", ops: "ok", viewer: "ok", scoped: "ok", scopedFinance: "ok", anon: "ok", badKey: "ok", ingestKey: "ok", readKey: "ok" } }],
  "/login": [{ path: "/login", expect: { admin: "home", finance: "home", ops: "home", viewer: "home", scoped: "home", scopedFinance: "home", anon: "ok", badKey: "ok", ingestKey: "ok", readKey: "ok" } }],
  "/": [{ path: "/", expect: pageAll }],
  "/account": [{ path: "/account", expect: pageAll }],
  "/admin": [{ path: "/admin", expect: pageFinance }],
  "/admin/users": [{ path: "/admin/users", expect: pageAdmin }],
  "/admin/agents": [{ path: "/admin/agents", expect: pageAdmin }],
  "/admin/task-types": [{ path: "/admin/task-types", expect: pageFinance }],
  "/admin/model-prices": [{ path: "/admin/model-prices", expect: pageAdmin }],
  "/admin/tax-rates": [{ path: "/admin/tax-rates", expect: pageAdmin }],
  "/admin/fx-rates": [{ path: "/admin/fx-rates", expect: pageAdmin }],
  "/admin/recompute": [{ path: "/admin/recompute", expect: pageAdmin }],
  "/admin/meters": [{ path: "/admin/meters", expect: { ...pageFinance, scopedFinance: "forbidden" } }],
  "/admin/rate-cards": [{ path: "/admin/rate-cards", expect: { ...pageFinance, scopedFinance: "forbidden" } }],
  "/admin/customers": [{ path: "/admin/customers", expect: { ...pageFinance, scopedFinance: "forbidden" } }],
  "/admin/api-keys": [{ path: "/admin/api-keys", expect: pageAdmin }],
  "/admin/settings": [{ path: "/admin/settings", expect: pageAdmin }],
  "/admin/audit-log": [{ path: "/admin/audit-log", expect: pageAdmin }],
  "/admin/connectors": [{ path: "/admin/connectors", expect: pageAdmin }],
  "/admin/jobs": [{ path: "/admin/jobs", expect: pageAdmin }],
  "/usage": [{ path: "/usage", expect: pageAll }],
  "/events": [{ path: "/events?from=2026-03-01&to=2026-03-31", expect: pageAll }],
  "/workload": [{ path: "/workload", expect: pageAll }],
  "/roi": [{ path: "/roi", expect: pageAll }],
  "/roi/shared/[token]": [{ path: "/roi/shared/no-such-token", expect: pageAll }],
  "/agents/[key]": [{ path: "/agents/triage", expect: pageAll }],
  "/allocation": [{ path: "/allocation", expect: pageAll }],
  "/allocation/[code]": [{ path: "/allocation/SUPPORT", expect: pageAll }],
  "/allocation/rules": [{ path: "/allocation/rules", expect: pageFinance }],
  "/allocation/gl-accounts": [{ path: "/allocation/gl-accounts", expect: pageAdmin }],
  "/admin/departments": [{ path: "/admin/departments", expect: pageFinance }],
  "/admin/alerts": [{ path: "/admin/alerts", expect: pageFinance }],
  "/notifications": [{ path: "/notifications", expect: pageAll }],
  "/getting-started": [{ path: "/getting-started", expect: pageAll }],
  "/import": [{ path: "/import", expect: pageAdmin }],
  "/invoices": [{ path: "/invoices", expect: pageOrgWide }],
  "/c/[token]": [{ path: "/c/cl_no-such-token-at-all", expect: { admin: "notFound", finance: "notFound", ops: "notFound", viewer: "notFound", scoped: "notFound", scopedFinance: "notFound", anon: "notFound", badKey: "notFound", ingestKey: "notFound", readKey: "notFound" } }],
  "/invoices/simulate": [{ path: "/invoices/simulate", expect: { ...pageFinance, scopedFinance: "forbidden" } }],
  "/invoices/[id]": [{ path: `/invoices/${NONE}`, expect: pageOrgWide }, { path: "/invoices/1", expect: pageOrgWide }],
  "/approvals": [{ path: "/approvals", expect: { ...pageFinance, scopedFinance: "forbidden" } }],
  "/customers": [{ path: "/customers", expect: pageOrgWide }],
  "/customers/[key]": [{ path: "/customers/acme", expect: pageOrgWide }],
};
