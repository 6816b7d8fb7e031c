// ROI scenarios over real PostgreSQL: a what-if's value equals an independent SQL computation from raw events with
// the what-if baselines; the official figures do not move; scenarios are private, shareable read-only, audited;
// the official baseline's reset restores its default and is audited.
import Decimal from "decimal.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { resetBaseline, updateBaseline } from "./baselines";
import { roi } from "./roi";
import { scenarioCreate, whatIfBody } from "./scenario-schemas";
import { createScenario, getScenario, listScenarios, sharedScenario, updateScenario } from "./scenarios";
import { roiQuery, roiResponse } from "./schemas";
import { admin, loadFixtures, TZ } from "./test-fixtures";

const owner = admin as UserCaller;
const other: UserCaller = { kind: "user", id: 2, email: "ops@test", name: "Ops", role: "ops", departmentIds: null };
const FROM = "2026-02-25";
const TO = "2026-11-05";

/** Value by task type from raw events: completed agent tasks × minutes ÷ 60 × hourly cost, with overrides. */
async function rawValue(overrides: Record<string, [string, string]>): Promise<string> {
  const { rows } = await pool.query<{ key: string; tasks: number; minutes: string; rate: string }>(
    `SELECT t.key, count(*)::int AS tasks, t.baseline_minutes::text AS minutes, t.loaded_hourly_cost::text AS rate
     FROM usage_events e JOIN task_types t ON t.key = e.task_type
     WHERE e.handled_by = 'agent' AND e.task_status = 'completed' AND (e.timestamp AT TIME ZONE $1)::date BETWEEN $2::date AND $3::date
     GROUP BY t.key, t.baseline_minutes, t.loaded_hourly_cost`,
    [TZ, FROM, TO],
  );
  const total = rows.reduce((a, r) => {
    const [minutes, rate] = overrides[r.key] ?? [r.minutes, r.rate];
    return a.plus(new Decimal(r.tasks).times(minutes).times(rate));
  }, new Decimal(0));
  return total.div(60).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

beforeAll(async () => {
  await loadFixtures(pool);
  await pool.query("UPDATE task_types SET default_baseline_minutes = baseline_minutes, default_loaded_hourly_cost = loaded_hourly_cost");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now()), (2, 'ops@test', 'Ops', 'ops', now()) ON CONFLICT DO NOTHING");
  forgetOrgSettings();
});

describe("what-if ROI", () => {
  it("values completed tasks at the what-if baselines and leaves the official figures alone", async () => {
    const q = roiQuery.parse({ from: FROM, to: TO, groupBy: "task_type" });
    const org = await orgSettings();
    const official = roiResponse.parse(await roi(owner, org, q));
    const { baselines } = whatIfBody.parse({ baselines: [{ taskType: "case", baselineMinutes: "30", loadedHourlyCost: "60" }] });
    const whatIf = roiResponse.parse(await roi(owner, org, q, baselines));
    expect(official.totals.value).toBe(await rawValue({}));
    expect(whatIf.totals.value).toBe(await rawValue({ case: ["30", "60"] }));
    expect(whatIf.totals.value).not.toBe(official.totals.value);
    expect(whatIf.totals.cost).toBe(official.totals.cost);
    expect(whatIf.assumptions.find((a) => a.taskType === "case")).toMatchObject({ baselineMinutes: "30.00", loadedHourlyCost: "60.00" });
    expect(roiResponse.parse(await roi(owner, org, q)).totals.value).toBe(official.totals.value);
  });
});

describe("scenarios", () => {
  it("are private, shared read-only by a token, unshared again; every change audited", async () => {
    const created = await createScenario(owner, scenarioCreate.parse({ name: "Slower humans", baselines: [{ taskType: "case", baselineMinutes: "20", loadedHourlyCost: "48.33" }] }));
    expect(created).toMatchObject({ name: "Slower humans", mine: true, sharePath: null, baselines: [{ taskType: "case", baselineMinutes: "20.00", loadedHourlyCost: "48.33" }] });
    expect((await listScenarios(other)).length).toBe(0);
    await expect(getScenario(other, created.id)).rejects.toMatchObject({ status: 404 });
    await expect(updateScenario(other, created.id, { shared: true })).rejects.toMatchObject({ status: 404 });

    const shared = await updateScenario(owner, created.id, { shared: true });
    const token = shared.sharePath!.split("/").at(-1)!;
    expect(await sharedScenario(other, token)).toMatchObject({ id: created.id, mine: false, baselines: created.baselines });
    await updateScenario(owner, created.id, { shared: false });
    await expect(sharedScenario(other, token)).rejects.toMatchObject({ status: 404 });

    const actions = (await db.auditLog.findMany({ where: { entity: "roi_scenario" }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["roi_scenario.create", "roi_scenario.share", "roi_scenario.unshare"]);
  });

  it("refuse a task type that does not exist, naming the field", async () => {
    await expect(createScenario(owner, scenarioCreate.parse({ name: "Bad", baselines: [{ taskType: "nope", baselineMinutes: "1", loadedHourlyCost: "1" }] }))).rejects.toMatchObject({
      status: 400,
      details: [{ path: "baselines.0.taskType", message: "no task type nope" }],
    });
  });
});

describe("official baseline reset", () => {
  it("restores the default, audited", async () => {
    await updateBaseline(owner, "case", { baselineMinutes: "99" });
    const reset = await resetBaseline(owner, "case");
    expect(reset).toMatchObject({ baselineMinutes: "12.50", loadedHourlyCost: "48.33" });
    expect(await db.auditLog.count({ where: { action: "task_type.baseline_reset", entityId: "case" } })).toBe(1);
    await expect(resetBaseline(owner, "nope")).rejects.toMatchObject({ status: 404 });
  });
});
