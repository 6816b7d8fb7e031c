// One source per figure: every surface that shows the month-end forecast, the cost per task or the ROI (each API
// route through its real handler, the statement CSV/PDF) agrees, and equals an independent SQL computation over the
// raw usage_events. Events are laid around the real "today" in New York, as the routes read the clock.
import Decimal from "decimal.js";
import { NextRequest } from "next/server";
import { PDFParse } from "pdf-parse";
import { beforeAll, describe, expect, test } from "vitest";
import { GET as agentGet } from "@/app/api/v1/agents/[key]/route";
import { GET as statementGet } from "@/app/api/v1/allocation/[code]/route";
import { GET as allocationGet } from "@/app/api/v1/allocation/route";
import { GET as overviewGet } from "@/app/api/v1/overview/route";
import { GET as roiGet } from "@/app/api/v1/roi/route";
import { GET as workloadGet } from "@/app/api/v1/workload/route";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { forgetOrgSettings } from "@/lib/org";
import { addDaysTo, dayIn } from "@/lib/periods";
import { rebuildRollups } from "@/lib/rollups/rebuild";

const TZ = "America/New_York";
const DAY = 86_400_000;
let key = "";
let today = "";
let month = "";

type Handler<P> = (req: NextRequest, ctx: { params: Promise<P> }) => Promise<Response>;

async function get<P>(handler: Handler<P>, path: string, params?: P) {
  const res = await handler(new NextRequest(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve((params ?? {}) as P) });
  expect(res.status, path).toBe(200);
  return res;
}
const json = async <P,>(handler: Handler<P>, path: string, params?: P) => (await get(handler, path, params)).json();

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'Figures', 'USD', $1, now())", [TZ]);
  const [sup, fin] = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, updated_at) VALUES ('SUP', 'Support', now()), ('FIN', 'Finance', now()) RETURNING id")).rows.map((r) => r.id);
  const agents = (
    await pool.query<{ id: number }>(
      "INSERT INTO agents (key, name, department_id, updated_at) VALUES ('resolver', 'Resolver', $1, now()), ('auditor', 'Auditor', $2, now()), ('stray', 'Stray', NULL, now()) RETURNING id",
      [sup, fin],
    )
  ).rows.map((r) => r.id);
  await pool.query("INSERT INTO task_types (key, name, baseline_minutes, loaded_hourly_cost, updated_at) VALUES ('case', 'Case', 12.5, 48.33, now()), ('audit', 'Audit', 10, 50, now())");
  // 40 days of events up to now: LLM calls (cost, no task type), task records (agent and human, every outcome), and
  // a very cheap agent whose ROI is far beyond 10,000 %. Instants drift by 7 h a day so they cross local midnights.
  const now = Date.now();
  const rows: unknown[][] = [];
  let n = 0;
  for (let k = 0; k <= 40; k++) {
    for (let i = 0; i < 6; i++) {
      const at = new Date(now - k * DAY - ((k * 7 + i * 3) % 24) * 3_600_000 - 1000);
      const agent = agents[i % 3]!;
      const dept = i % 3 === 0 ? sup : i % 3 === 1 ? fin : null;
      const cost = ((k * 13 + i * 7) % 50) / 10 + 0.0123456789;
      rows.push([`llm-${n++}`, at, "llm.call", agent, dept, cost.toFixed(10), null, null, null, null]);
      const status = ["completed", "completed", "escalated", "failed"][(k + i) % 4]!;
      rows.push([`task-${n++}`, at, "task.completed", agent, dept, "0.05", i % 3 === 1 ? "audit" : "case", i === 5 ? "human" : "agent", status, "600"]);
    }
  }
  const cheap = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ('cheap', 'Cheap', $1, now()) RETURNING id", [sup])).rows[0]!.id;
  for (let i = 0; i < 30; i++) rows.push([`cheap-${i}`, new Date(now - (i % 10) * DAY - 2000), "task.completed", cheap, sup, "0.0001", "case", "agent", "completed", "60"]);
  rows.push(["now", new Date(now - 1000), "llm.call", agents[0], sup, "3.3300000000", null, null, null, null]);
  for (const r of rows) {
    await pool.query(
      `INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, reported_cost, task_type, handled_by, task_status, duration_seconds)
       VALUES ('t', $1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10)`,
      r,
    );
  }
  await rebuildRollups(pool);
  forgetOrgSettings();
  key = (await createApiKey({ name: "read", scopes: ["read"] })).secret;
  today = dayIn(TZ);
  month = today.slice(0, 7);
}, 120_000);

/** The forecast from raw events alone, in SQL: complete days + 7-complete-day run rate × days left, never below month to date. */
async function sqlForecast(departmentId: number | null): Promise<string> {
  const { rows } = await pool.query<{ forecast: string }>(
    `WITH d AS (SELECT (timestamp AT TIME ZONE $1)::date AS day, cost FROM usage_events WHERE $3::int IS NULL OR department_id = $3),
          p AS (SELECT $2::date AS today, date_trunc('month', $2::date)::date AS m0,
                       (date_trunc('month', $2::date) + interval '1 month' - interval '1 day')::date AS m1,
                       greatest($2::date - 7, (SELECT min((timestamp AT TIME ZONE $1)::date) FROM usage_events)) AS w0)
     SELECT round(greatest(
              coalesce(sum(cost) FILTER (WHERE day >= m0 AND day < today), 0)
                + coalesce(coalesce(sum(cost) FILTER (WHERE day >= w0 AND day < today), 0) / nullif(today - w0, 0), 0) * (m1 - today + 1),
              coalesce(sum(cost) FILTER (WHERE day >= m0 AND day <= today), 0)), 2)::text AS forecast
     FROM d, p GROUP BY p.today, p.m0, p.m1, p.w0`,
    [TZ, today, departmentId],
  );
  return new Decimal(rows[0]!.forecast).toFixed(2);
}

describe("month-end forecast", () => {
  test("Overview, Allocation and the statement (JSON, CSV, PDF) agree with raw events", async () => {
    const expected = await sqlForecast(null);
    const overview = await json(overviewGet, "/api/v1/overview");
    expect(overview.forecast.forecast).toBe(expected);
    expect(overview.forecast).toMatchObject({ month, runRateDays: 7 });
    const allocation = await json(allocationGet, `/api/v1/allocation?period=${month}`);
    expect(allocation.forecast).toBe(expected);
    // The API's default period is the current month, as the page's "This month".
    expect((await json(allocationGet, "/api/v1/allocation")).forecast).toBe(expected);

    const sup = (await pool.query<{ id: number }>("SELECT id FROM departments WHERE code = 'SUP'")).rows[0]!.id;
    const supExpected = await sqlForecast(sup);
    expect(allocation.departments.find((d: { code: string }) => d.code === "SUP").forecast).toBe(supExpected);
    const statement = await json(statementGet, `/api/v1/allocation/SUP?period=${month}`, { code: "SUP" });
    expect(statement.department.forecast).toBe(supExpected);
    const pdf = Buffer.from(await (await get(statementGet, `/api/v1/allocation/SUP?period=${month}&format=pdf`, { code: "SUP" })).arrayBuffer());
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain(`Forecast to month end: ${formatMoney(supExpected)}`);
  });

  test("a past month's forecast is its actual spend, on every surface", async () => {
    const last = addDaysTo(`${month}-01`, -1).slice(0, 7);
    const { rows } = await pool.query<{ total: string }>(
      `SELECT round(coalesce(sum(cost), 0), 2)::text AS total FROM usage_events WHERE to_char(timestamp AT TIME ZONE $1, 'YYYY-MM') = $2`,
      [TZ, last],
    );
    const allocation = await json(allocationGet, `/api/v1/allocation?period=${last}`);
    expect(allocation.forecast).toBe(rows[0]!.total);
    expect(allocation.total).toBe(rows[0]!.total);
  });
});

describe("cost per task", () => {
  const from = () => addDaysTo(today, -29);

  async function sqlCostPerTask(agent: string): Promise<string | null> {
    const { rows } = await pool.query<{ v: string | null }>(
      `SELECT round(sum(e.cost) / nullif(count(*) FILTER (WHERE e.handled_by = 'agent'), 0), 6)::text AS v
       FROM usage_events e JOIN agents a ON a.id = e.agent_id
       WHERE a.key = $1 AND (e.timestamp AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date`,
      [agent, TZ, from(), today],
    );
    return rows[0]!.v === null ? null : new Decimal(rows[0]!.v).toFixed(6);
  }

  test("Workload, the agent page and ROI agree with raw events (all cost ÷ tasks of any outcome)", async () => {
    const range = `from=${from()}&to=${today}`;
    const workload = await json(workloadGet, `/api/v1/workload?${range}&groupBy=agent`);
    const roi = await json(roiGet, `/api/v1/roi?${range}&groupBy=agent`);
    for (const agent of ["resolver", "auditor", "cheap"]) {
      const expected = await sqlCostPerTask(agent);
      expect(expected, agent).not.toBeNull();
      expect(Number(expected), `${agent} is not 0 (the old task-linked figure was)`).toBeGreaterThan(0);
      const detail = await json(agentGet, `/api/v1/agents/${agent}?${range}`, { key: agent });
      expect(detail.totals.costPerTask, `agent page ${agent}`).toBe(expected);
      expect(workload.rows.find((r: { key: string }) => r.key === agent).agentCostPerTask, `workload ${agent}`).toBe(expected);
      expect(roi.rows.find((r: { key: string }) => r.key === agent).costPerTask, `roi ${agent}`).toBe(expected);
    }
  });
});

describe("ROI", () => {
  test("the ROI route's per-agent and total ROI equal raw events; the cheap agent is beyond the display bound", async () => {
    const from = addDaysTo(today, -29);
    const roi = await json(roiGet, `/api/v1/roi?from=${from}&to=${today}&groupBy=agent`);
    const { rows } = await pool.query<{ key: string; value: string; cost: string }>(
      `SELECT a.key, round(coalesce(sum(t.baseline_minutes * t.loaded_hourly_cost) FILTER (WHERE e.handled_by = 'agent' AND e.task_status = 'completed'), 0) / 60, 2)::text AS value,
              sum(e.cost)::text AS cost
       FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN task_types t ON t.key = e.task_type
       WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date GROUP BY a.key`,
      [TZ, from, today],
    );
    const ratio = (value: Decimal.Value, cost: Decimal.Value) => new Decimal(value).minus(cost).div(cost).toDecimalPlaces(4).toNumber();
    for (const r of rows) expect(roi.rows.find((x: { key: string }) => x.key === r.key).roi, r.key).toBe(ratio(r.value, r.cost));
    const cheap = roi.rows.find((x: { key: string }) => x.key === "cheap");
    expect(cheap.roi).toBeGreaterThan(100);
    // The totals' ROI is over the summed value and cost, not an average of the rows.
    const value = rows.reduce((a, r) => a.plus(r.value), new Decimal(0));
    const cost = rows.reduce((a, r) => a.plus(r.cost), new Decimal(0));
    expect(new Decimal(roi.totals.value).minus(value).abs().lessThanOrEqualTo("0.01")).toBe(true);
    expect(roi.totals.roi).toBe(ratio(roi.totals.value, cost));
  });
});
