// Workload and ROI numbers vs independent computations over raw usage_events, plus the audited baseline edit.
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { updateBaseline } from "./baselines";
import { roi } from "./roi";
import { roiQuery, roiResponse, workloadQuery, workloadResponse } from "./schemas";
import { admin, loadFixtures, TZ } from "./test-fixtures";
import { workload } from "./workload";

const KEYS: Record<string, string> = {
  task_type: `coalesce(e.task_type, '(none)')`,
  department: `coalesce(d.code, 'UNASSIGNED')`,
  agent: `a.key`,
};
const FROM = `FROM usage_events e JOIN agents a ON a.id = e.agent_id LEFT JOIN departments d ON d.id = e.department_id
  LEFT JOIN customers c ON c.id = e.customer_id LEFT JOIN task_types t ON t.key = e.task_type
  WHERE (e.timestamp AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date`;

beforeAll(async () => {
  await loadFixtures(pool);
  forgetOrgSettings();
});

describe("workload equals raw events", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["task_type", {}, "true"],
    ["agent", { department: "SUP" }, "d.code = 'SUP'"],
    ["department", { customer: "acme,(none)" }, "(c.key = 'acme' OR e.customer_id IS NULL)"],
  ];
  for (const [groupBy, filters, where] of cases) {
    it(`by ${groupBy} ${JSON.stringify(filters)}`, async () => {
      const from = "2026-02-25";
      const to = "2026-11-05";
      const res = workloadResponse.parse(await workload(admin, await orgSettings(), workloadQuery.parse({ from, to, groupBy, ...filters })));
      const { rows } = await pool.query(
        `SELECT ${KEYS[groupBy]} AS key,
           count(*) FILTER (WHERE e.handled_by = 'agent')::int AS "agentTasks",
           count(*) FILTER (WHERE e.handled_by = 'human')::int AS "humanTasks",
           count(*) FILTER (WHERE e.handled_by = 'agent' AND e.task_status = 'escalated')::int AS escalations,
           (count(*) FILTER (WHERE e.handled_by = 'agent' AND e.task_status = 'escalated')::float8
             / nullif(count(*) FILTER (WHERE e.handled_by = 'agent'), 0))::float8 AS "escalationRate",
           round(sum(e.cost) / nullif(count(*) FILTER (WHERE e.handled_by = 'agent'), 0), 6)::text AS "agentCostPerTask",
           round(sum(e.cost) FILTER (WHERE e.task_type IS NOT NULL AND e.handled_by IS DISTINCT FROM 'human')
                 / nullif(count(*) FILTER (WHERE e.handled_by = 'agent'), 0), 6)::text AS "taskLinkedCostPerTask",
           round(sum(e.duration_seconds * coalesce(t.loaded_hourly_cost, 0)) FILTER (WHERE e.handled_by = 'human') / 3600
                 / nullif(count(*) FILTER (WHERE e.handled_by = 'human'), 0), 6)::text AS "humanCostPerTask",
           round(avg(e.duration_seconds) FILTER (WHERE e.handled_by = 'human'), 3)::float8 AS "humanAvgSeconds"
         ${FROM} AND ${where}
         GROUP BY 1 HAVING bool_or(e.task_type IS NOT NULL OR e.handled_by IS NOT NULL)`,
        [TZ, from, to],
      );
      expect(rows.length).toBeGreaterThan(0);
      const byKey = new Map(res.rows.map((r) => [r.key, r]));
      expect([...byKey.keys()].sort()).toEqual(rows.map((r) => r.key).sort());
      for (const r of rows) {
        const got = byKey.get(r.key)!;
        expect(got).toMatchObject({
          key: r.key,
          agentTasks: r.agentTasks,
          humanTasks: r.humanTasks,
          escalations: r.escalations,
          escalationRate: r.escalationRate,
          agentCostPerTask: r.agentCostPerTask,
          taskLinkedCostPerTask: r.taskLinkedCostPerTask,
          humanCostPerTask: r.humanCostPerTask,
          humanAvgSeconds: r.humanAvgSeconds,
        });
      }
      expect(res.totals.agentTasks).toBe(rows.reduce((a, r) => a + r.agentTasks, 0));
      expect(res.series.reduce((a, p) => a + p.humanTasks, 0)).toBe(res.totals.humanTasks);
    });
  }
});

describe("ROI equals raw events", () => {
  for (const groupBy of ["agent", "department", "task_type"] as const) {
    it(`by ${groupBy}`, async () => {
      const from = "2026-02-20";
      const to = "2026-11-30";
      const res = roiResponse.parse(await roi(admin, await orgSettings(), roiQuery.parse({ from, to, groupBy })));
      const done = `FILTER (WHERE e.handled_by = 'agent' AND e.task_status = 'completed')`;
      const { rows } = await pool.query(
        `SELECT ${KEYS[groupBy]} AS key, count(*) ${done}::int AS tasks,
           round(coalesce(sum(t.baseline_minutes) ${done}, 0) / 60, 2)::text AS "hoursSaved",
           round(coalesce(sum(t.baseline_minutes * t.loaded_hourly_cost) ${done}, 0) / 60, 2) AS value,
           sum(e.cost) AS cost,
           round(sum(e.cost) / nullif(count(*) FILTER (WHERE e.handled_by = 'agent'), 0), 6)::text AS "costPerTask"
         ${FROM} GROUP BY 1`,
        [TZ, from, to],
      );
      const byKey = new Map(res.rows.map((r) => [r.key, r]));
      expect([...byKey.keys()].sort()).toEqual(rows.map((r) => r.key).sort());
      for (const r of rows) {
        const value = new Decimal(r.value);
        const cost = new Decimal(r.cost);
        expect(byKey.get(r.key)).toMatchObject({
          tasks: r.tasks,
          hoursSaved: r.hoursSaved,
          value: value.toFixed(2),
          cost: cost.toFixed(),
          net: value.minus(cost).toFixed(),
          roi: cost.isZero() ? null : value.minus(cost).div(cost).toDecimalPlaces(4).toNumber(),
          costPerTask: r.costPerTask,
        });
      }
      // Every grouping splits the same total cost.
      expect(res.totals.cost).toBe(rows.reduce((a, r) => a.plus(r.cost), new Decimal(0)).toFixed());
      expect(res.assumptions.map((a) => a.taskType)).toEqual(["audit", "case"]);
    });
  }

  it("uses edited baselines and audits the change", async () => {
    const before = await roi(admin, await orgSettings(), roiQuery.parse({ from: "2026-02-20", to: "2026-11-30", groupBy: "task_type" }));
    const updated = await updateBaseline(admin, "audit", { baselineMinutes: "20" });
    expect(updated).toMatchObject({ taskType: "audit", baselineMinutes: "20.00", loadedHourlyCost: "50.00" });
    const after = await roi(admin, await orgSettings(), roiQuery.parse({ from: "2026-02-20", to: "2026-11-30", groupBy: "task_type" }));
    const hours = (r: typeof before) => new Decimal(r.rows.find((x) => x.key === "audit")!.hoursSaved);
    expect(hours(after).toFixed(2)).toBe(hours(before).times(2).toFixed(2));
    const log = await db.auditLog.findFirstOrThrow({ where: { entity: "task_type", entityId: "audit" } });
    expect(log).toMatchObject({ action: "task_type.baseline_update", actor: "admin@test", before: { baselineMinutes: "10.00" }, after: { baselineMinutes: "20.00" } });
    await expect(updateBaseline(admin, "nope", { baselineMinutes: "1" })).rejects.toMatchObject({ status: 404 });
  });
});
