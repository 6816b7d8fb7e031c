// Contract of the allocation, department, rule and alert read routes through their real handlers:
// status, one error shape naming the parameter, bodies that parse with the response schemas.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as statementGet } from "@/app/api/v1/allocation/[code]/route";
import { GET as allocationGet } from "@/app/api/v1/allocation/route";
import { GET as rulesGet } from "@/app/api/v1/allocation-rules/route";
import { GET as alertsGet } from "@/app/api/v1/alerts/route";
import { POST as acknowledgePost } from "@/app/api/v1/alerts/[id]/acknowledge/route";
import { GET as departmentsGet } from "@/app/api/v1/departments/route";
import { alertListResponse } from "@/lib/alerts/schemas";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { allocationResponse, departmentListResponse, ruleListResponse, statementResponse } from "./schemas";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
let key = "";

async function call(handler: Handler, path: string, params: Record<string, string> = {}, auth: string = key, method = "GET") {
  const req = new NextRequest(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${auth}` } });
  return handler(req, { params: Promise.resolve(params) });
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'EUR', 'Europe/Berlin', now())");
  const dept = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ('OPS', 'Operations', 100, now()) RETURNING id")).rows[0]!.id;
  const agent = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('bot', 'Bot', $1, now()) RETURNING id", [dept])).rows[0]!.id;
  await pool.query("INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, quantity) VALUES ('t', 'a', '2026-05-31T22:30:00Z', 'agent.action', $1, $2, 12.345, 3)", [agent, dept]);
  await rebuildRollups(pool);
  key = (await createApiKey({ name: "read", scopes: ["read"] })).secret;
});

describe("allocation routes", () => {
  it("GET /allocation: the local month (Berlin), money as decimal strings", async () => {
    const res = await call(allocationGet as Handler, "/api/v1/allocation?period=2026-06");
    expect(res.status).toBe(200);
    const body = allocationResponse.parse(await res.json());
    // 22:30 UTC on 31 May is 00:30 on 1 June in Berlin; 12.345 rounds half-even to 12.34.
    expect(body).toMatchObject({ period: "2026-06", currency: "EUR", total: "12.34", unallocated: "0.00" });
    expect(body.departments[0]).toMatchObject({ code: "OPS", direct: "12.34", allocated: "0.00", budget: "100.00", budgetUsed: "12.34" });
  });

  it("GET /allocation/{code}: JSON, CSV and PDF statements", async () => {
    const json = await call(statementGet as Handler, "/api/v1/allocation/OPS?period=2026-06", { code: "OPS" });
    expect(statementResponse.parse(await json.json()).lines).toMatchObject([{ agent: { key: "bot" }, kind: "direct", quantity: "3", amount: "12.34" }]);
    const csv = await call(statementGet as Handler, "/api/v1/allocation/OPS?period=2026-06&format=csv", { code: "OPS" });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("showback-OPS-2026-06.csv");
    expect((await csv.text()).split("\r\n")[1]).toBe("2026-06,OPS,Operations,bot,Bot,direct,,,,,,1,3,12.34,EUR");
    const pdf = await call(statementGet as Handler, "/api/v1/allocation/OPS?period=2026-06&format=pdf", { code: "OPS" });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("other read routes answer with their schemas", async () => {
    departmentListResponse.parse(await (await call(departmentsGet as Handler, "/api/v1/departments")).json());
    ruleListResponse.parse(await (await call(rulesGet as Handler, "/api/v1/allocation-rules")).json());
    alertListResponse.parse(await (await call(alertsGet as Handler, "/api/v1/alerts?status=open")).json());
  });

  it("errors: 400 names the parameter, 401 for an unknown key, 403 for a missing permission, 404 for an unknown department", async () => {
    const bad = await call(allocationGet as Handler, "/api/v1/allocation?period=2026-13");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details[0].path).toBe("period");
    expect((await call(alertsGet as Handler, "/api/v1/alerts?status=closed")).status).toBe(400);
    expect((await call(allocationGet as Handler, "/api/v1/allocation", {}, "al_unknown_key")).status).toBe(401);
    expect((await call(acknowledgePost as Handler, "/api/v1/alerts/1/acknowledge", { id: "1" }, key, "POST")).status).toBe(403);
    const missing = await call(statementGet as Handler, "/api/v1/allocation/NOPE", { code: "NOPE" });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });
});
