// Contract of the dashboard routes through their real handlers: status, error shape naming the parameter, response schemas.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as agentGet } from "@/app/api/v1/agents/[key]/route";
import { GET as agentEventsGet } from "@/app/api/v1/agents/[key]/events/route";
import { GET as dimensionsGet } from "@/app/api/v1/dimensions/route";
import { GET as overviewGet } from "@/app/api/v1/overview/route";
import { GET as roiGet } from "@/app/api/v1/roi/route";
import { GET as usageGet } from "@/app/api/v1/usage/route";
import { GET as workloadGet } from "@/app/api/v1/workload/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { forgetOrgSettings } from "@/lib/org";
import { agentDetailResponse, agentEventsResponse, dimensionsResponse, roiResponse, usageResponse, workloadResponse } from "./schemas";
import { loadFixtures } from "./test-fixtures";
import { overviewResponse } from "./overview-schemas";

let secret = "";
let ingestOnly = "";

type Handler = (req: NextRequest, ctx: { params: Promise<{ key: string }> }) => Promise<Response>;

async function call(handler: Handler, path: string, params = { key: "" }, key = secret) {
  const req = new NextRequest(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}` } });
  const res = await handler(req, { params: Promise.resolve(params) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  await loadFixtures(pool);
  forgetOrgSettings();
  secret = (await createApiKey({ name: "read", scopes: ["read"] })).secret;
  ingestOnly = (await createApiKey({ name: "ingest", scopes: ["ingest"] })).secret;
});

describe("dashboard routes", () => {
  const ok: [string, Handler, string, { key: string }, { parse: (v: unknown) => unknown }][] = [
    ["usage", usageGet, "/api/v1/usage?from=2026-03-01&to=2026-03-31&groupBy=property:tenant&granularity=week&type=llm.call", { key: "" }, usageResponse],
    ["workload", workloadGet, "/api/v1/workload?from=2026-03-01&to=2026-03-31&groupBy=agent", { key: "" }, workloadResponse],
    ["roi", roiGet, "/api/v1/roi?from=2026-03-01&to=2026-03-31&groupBy=department", { key: "" }, roiResponse],
    ["agent", agentGet, "/api/v1/agents/resolver?from=2026-03-01&to=2026-03-31", { key: "resolver" }, agentDetailResponse],
    ["agent events", agentEventsGet, "/api/v1/agents/resolver/events?from=2026-03-01&to=2026-03-31&limit=5", { key: "resolver" }, agentEventsResponse],
    ["dimensions", dimensionsGet, "/api/v1/dimensions", { key: "" }, dimensionsResponse],
    ["overview", overviewGet, "/api/v1/overview?from=2026-03-01&to=2026-03-31", { key: "" }, overviewResponse],
  ];
  for (const [name, handler, path, params, schema] of ok) {
    it(`${name}: 200 with a body matching the response schema`, async () => {
      const res = await call(handler, path, params);
      expect(res.status).toBe(200);
      expect(() => schema.parse(res.body)).not.toThrow();
    });
  }

  it("400 names the bad parameter", async () => {
    const cases: [Handler, string, string][] = [
      [usageGet, "/api/v1/usage?granularity=fortnight", "granularity"],
      [usageGet, "/api/v1/usage?from=2026-13-01", "from"],
      [usageGet, "/api/v1/usage?groupBy=property:nope", "groupBy"],
      [usageGet, "/api/v1/usage?currency=usd", "currency"],
      [usageGet, "/api/v1/usage?currency=XTS", "currency"],
      [usageGet, "/api/v1/usage?currency=JPY", "currency"], // no stored rate for it
      [workloadGet, "/api/v1/workload?groupBy=model", "groupBy"],
      [roiGet, "/api/v1/roi?from=2026-03-05&to=2026-03-01", "to"],
      [roiGet, "/api/v1/roi?departmnet=SUP", "departmnet"],
      [agentEventsGet, "/api/v1/agents/resolver/events?limit=1000", "limit"],
      [overviewGet, "/api/v1/overview?currency=usd", "currency"],
      [overviewGet, "/api/v1/overview?currency=JPY", "currency"], // no stored rate for it
      [agentGet, "/api/v1/agents/resolver?currency=XTS", "currency"],
    ];
    for (const [handler, path, param] of cases) {
      const res = await call(handler, path, { key: "resolver" });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.code).toBe("invalid_request");
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(param);
    }
  });

  it("overview and agent in a display currency: converted, org amounts beside, days without a rate listed", async () => {
    const { rows } = await pool.query<{ currency: string }>("SELECT currency FROM organizations WHERE id = 1");
    const org = rows[0]!.currency.trim();
    const other = org === "EUR" ? "USD" : "EUR";
    await pool.query("INSERT INTO fx_rates (base, quote, date, rate, source, created_by) VALUES ($1, $2, '2026-03-10', '1.25', 'manual', 'test') ON CONFLICT DO NOTHING", [org, other]);
    const overview = await call(overviewGet, `/api/v1/overview?from=2026-03-01&to=2026-03-31&currency=${other}`);
    expect(overview.status).toBe(200);
    const o = overviewResponse.parse(overview.body);
    expect({ currency: o.currency, orgCurrency: o.orgCurrency, from: o.conversion?.from }).toEqual({ currency: other, orgCurrency: org, from: org });
    expect(o.conversion!.missingDays).toContain("2026-03-09");
    expect(o.daily.find((d) => d.day === "2026-03-12")!.rateDate).toBe("2026-03-10");
    const agent = await call(agentGet, `/api/v1/agents/resolver?from=2026-03-01&to=2026-03-31&currency=${other}`, { key: "resolver" });
    expect(agent.status).toBe(200);
    expect(agentDetailResponse.parse(agent.body).conversion!.rateDates).toEqual({ first: "2026-03-10", last: "2026-03-10" });
  });

  it("unknown filter values give empty results, not errors", async () => {
    const res = await call(roiGet, "/api/v1/roi?from=2026-03-01&to=2026-03-31&agent=ghost");
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([]);
    expect(res.body.totals.cost).toBe("0");
  });

  // Session callers need Next's request context (cookies()), so they are covered by e2e/dashboards.spec.ts.
  it("403 without the read scope, 404 for an unknown agent", async () => {
    expect((await call(usageGet, "/api/v1/usage", { key: "" }, ingestOnly)).status).toBe(403);
    expect((await call(agentGet, "/api/v1/agents/ghost", { key: "ghost" })).status).toBe(404);
  });
});
