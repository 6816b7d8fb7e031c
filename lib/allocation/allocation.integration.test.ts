// Allocation over real PostgreSQL rollups in a non-UTC time zone: every rule type, a mid-month rule change,
// against an independent computation over raw events; conservation to the cent; scoping; statements and files;
// department administration with audit rows; rule validation naming the field.
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { Decimal as D } from "decimal.js";
import { beforeAll, describe, expect, test } from "vitest";
import { BadRequestError, ConflictError } from "@/lib/api/errors";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { assignAgent, createDepartment, listDepartments, setBudget, updateDepartment } from "./departments";
import { allocationReport, departmentStatement } from "./report";
import { createRule } from "./rule-admin";
import { allocationResponse, statementResponse } from "./schemas";
import { statementCsv, statementPdf } from "./showback";

const TZ = "America/New_York";
const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const ids: Record<string, number> = {};
const agents: Record<string, number> = {};
type Event = { at: string; agent: string; dept: string | null; cost: string; task: boolean };
const events: Event[] = [];

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', $1, now())", [TZ]);
  for (const [code, parent] of [["EXEC", null], ["ENG", "EXEC"], ["FIN", "EXEC"], ["HR", "EXEC"], ["IT", "ENG"]] as const) {
    const r = await pool.query<{ id: number }>("INSERT INTO departments (code, name, parent_id, monthly_budget, updated_at) VALUES ($1, $1, $2, 500, now()) RETURNING id", [code, parent ? ids[parent] : null]);
    ids[code] = r.rows[0]!.id;
  }
  for (const [key, dept, shared] of [["coder", "ENG", false], ["books", "FIN", false], ["stray", null, false], ["helpdesk", "IT", true], ["notes", "EXEC", true], ["search", "ENG", true], ["orphan", null, true]] as const) {
    const r = await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, shared, updated_at) VALUES ($1, $1, $2, $3, now()) RETURNING id", [key, dept ? ids[dept] : null, shared]);
    agents[key] = r.rows[0]!.id;
  }
  const rule = async (agent: string, method: string, driver: string | null, from: string, shares: [string, string | null][]) => {
    const r = await pool.query<{ id: number }>("INSERT INTO allocation_rules (agent_id, method, driver, effective_from) VALUES ($1, $2, $3, $4) RETURNING id", [agents[agent], method, driver, from]);
    for (const [code, pct] of shares) await pool.query("INSERT INTO allocation_shares (rule_id, department_id, percent) VALUES ($1, $2, $3)", [r.rows[0]!.id, ids[code], pct]);
  };
  await rule("helpdesk", "fixed", null, "2026-01-01", [["IT", "40"], ["HR", "33.3333"], ["FIN", "26.6667"]]);
  // Mid-month change: even over three departments until the 14th, then over two.
  await rule("notes", "even", null, "2026-02-01", [["ENG", null], ["FIN", null], ["HR", null]]);
  await rule("notes", "even", null, "2026-03-15", [["ENG", null], ["EXEC", null]]);
  await rule("search", "proportional", "tasks", "2026-03-01", []);
  // "orphan" is shared without a rule: its cost stays unallocated.

  const random = mulberry32(42);
  const keys = Object.keys(agents);
  const depts = [null, "ENG", "FIN", "HR", "IT", "EXEC"];
  // Late February to early April UTC, so local month edges (UTC−5/−4, DST on 8 March) matter.
  const start = Date.parse("2026-02-27T00:00:00Z");
  for (let i = 0; i < 1200; i++) {
    const agent = keys[Math.floor(random() * keys.length)]!;
    const at = new Date(start + Math.floor(random() * 36 * 86_400_000)).toISOString();
    events.push({ at, agent, dept: depts[Math.floor(random() * depts.length)]!, cost: (random() * 7).toFixed(10), task: random() < 0.6 });
  }
  for (const [i, e] of events.entries()) {
    await pool.query(
      "INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost, task_type) VALUES ('t', $1, $2, 'agent.action', $3, $4, $5, $6)",
      [`e${i}`, e.at, agents[e.agent], e.dept ? ids[e.dept] : null, e.cost, e.task ? "work" : null],
    );
  }
  await rebuildRollups(pool);
});

/** Independent computation straight from the events: exact per department direct/allocated and unallocated. */
function expected(period: string) {
  const local = (at: string) => format(new TZDate(Date.parse(at), TZ), "yyyy-MM-dd");
  const inPeriod = events.filter((e) => local(e.at).startsWith(period));
  const out = new Map<string, D>();
  const add = (key: string, v: D) => out.set(key, (out.get(key) ?? new D(0)).plus(v));
  const searchTasks = new Map<string, number>();
  let searchCost = new D(0);
  for (const e of inPeriod) {
    const cost = new D(e.cost);
    const day = local(e.at);
    if (e.agent === "coder" || e.agent === "books" || e.agent === "stray") add(e.dept ? `${e.dept}:direct` : "unallocated", cost);
    else if (e.agent === "helpdesk") {
      add("IT:allocated", cost.times("0.4"));
      add("HR:allocated", cost.times("0.333333"));
      add("FIN:allocated", cost.times("0.266667"));
    } else if (e.agent === "notes") {
      if (day < "2026-02-01") add("unallocated", cost);
      else if (day < "2026-03-15") for (const c of ["ENG", "FIN", "HR"]) add(`${c}:allocated`, cost.div(3));
      else for (const c of ["ENG", "EXEC"]) add(`${c}:allocated`, cost.div(2));
    } else if (e.agent === "search") {
      searchCost = searchCost.plus(cost);
      if (e.dept && e.task) searchTasks.set(e.dept, (searchTasks.get(e.dept) ?? 0) + 1);
    } else add("unallocated", cost);
  }
  const totalTasks = [...searchTasks.values()].reduce((a, b) => a + b, 0);
  if (period < "2026-03" || totalTasks === 0) add("unallocated", searchCost);
  else for (const [c, n] of searchTasks) add(`${c}:allocated`, searchCost.times(n).div(totalTasks));
  return { out, total: inPeriod.reduce((a, e) => a.plus(e.cost), new D(0)) };
}

describe("allocation report", () => {
  for (const period of ["2026-02", "2026-03"]) {
    test(`${period}: matches the independent computation, conserved to the cent`, async () => {
      const report = allocationResponse.parse(await allocationReport(admin, period, new Date("2026-06-01T12:00:00Z")));
      const { out, total } = expected(period);
      expect(report.total).toBe(total.toDecimalPlaces(2, D.ROUND_HALF_EVEN).toFixed(2));
      const sum = report.departments.reduce((a, d) => a.plus(d.total), new D(report.unallocated!));
      expect(sum.toFixed(2)).toBe(report.total);
      const near = (got: string, key: string) => expect(new D(got).minus(out.get(key) ?? 0).abs().lessThan("0.01"), `${key}: ${got} vs ${out.get(key)}`).toBe(true);
      near(report.unallocated!, "unallocated");
      for (const d of report.departments) {
        near(d.direct, `${d.code}:direct`);
        near(d.allocated, `${d.code}:allocated`);
        expect(new D(d.direct).plus(d.allocated).toFixed(2)).toBe(d.total);
      }
      const eng = report.departments.find((d) => d.code === "ENG")!;
      const it = report.departments.find((d) => d.code === "IT")!;
      expect(eng.subtreeTotal).toBe(new D(eng.total).plus(it.total).toFixed(2));
      expect(eng.budget).toBe("500.00");
      expect(eng.budgetUsed).toBe(new D(eng.total).div(5).toFixed(2));
      expect(eng.forecast).toBe(eng.total);
      expect(report.departments.map((d) => d.code)).toEqual(["EXEC", "ENG", "IT", "FIN", "HR"]);
    });
  }

  test("re-running a past month gives the same answer after a new rule version", async () => {
    const before = await allocationReport(admin, "2026-03", new Date("2026-06-01T12:00:00Z"));
    const r = await pool.query<{ id: number }>("INSERT INTO allocation_rules (agent_id, method, effective_from) VALUES ($1, 'even', '2026-04-01') RETURNING id", [agents.helpdesk]);
    await pool.query("INSERT INTO allocation_shares (rule_id, department_id) VALUES ($1, $2)", [r.rows[0]!.id, ids.EXEC]);
    expect(await allocationReport(admin, "2026-03", new Date("2026-06-01T12:00:00Z"))).toEqual(before);
    const [it, exec] = await Promise.all(["IT", "EXEC"].map((code) => departmentStatement(admin, code, "2026-04")));
    expect(it!.lines.some((l) => l.agent.key === "helpdesk")).toBe(false);
    expect(exec!.lines.find((l) => l.agent.key === "helpdesk")).toMatchObject({ sharePercent: "100.0000", rule: { method: "even", effectiveFrom: "2026-04-01" } });
  });

  test("a department-scoped user sees only their departments and no unallocated amount", async () => {
    const scoped: UserCaller = { ...admin, role: "viewer", departmentIds: [ids.FIN!, ids.HR!] };
    const full = await allocationReport(admin, "2026-03");
    const report = await allocationReport(scoped, "2026-03");
    expect(report.departments.map((d) => d.code)).toEqual(["FIN", "HR"]);
    expect(report.unallocated).toBeNull();
    expect(report.unallocatedLines).toEqual([]);
    const fin = full.departments.find((d) => d.code === "FIN")!;
    const hr = full.departments.find((d) => d.code === "HR")!;
    expect(report.total).toBe(new D(fin.total).plus(hr.total).toFixed(2));
    await expect(departmentStatement(scoped, "ENG", "2026-03")).rejects.toThrow(/outside the departments/);
  });

  test("statement lines name the rule behind each share and add up; CSV and PDF files", async () => {
    const s = statementResponse.parse(await departmentStatement(admin, "HR", "2026-03"));
    expect(s.lines.reduce((a, l) => a.plus(l.amount), new D(0)).toFixed(2)).toBe(s.department.total);
    const helpdesk = s.lines.find((l) => l.agent.key === "helpdesk")!;
    expect(helpdesk).toMatchObject({ kind: "allocated", rule: { method: "fixed", effectiveFrom: "2026-01-01" }, sharePercent: "33.3333" });
    const notes = s.lines.filter((l) => l.agent.key === "notes");
    expect(notes.map((l) => l.rule?.effectiveFrom)).toEqual(["2026-02-01"]);
    const csv = statementCsv(s).trim().split("\r\n");
    expect(csv[0]).toBe("period,department_code,department_name,agent_key,agent_name,kind,rule_id,method,driver,rule_effective_from,share_percent,events,quantity,amount,currency");
    expect(csv).toHaveLength(s.lines.length + 1);
    const pdf = await statementPdf(s);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe("department administration", () => {
  test("create, re-parent (no cycles), budget, assign an agent, archive — each audited", async () => {
    const created = await createDepartment(admin, { code: "DATA", name: "Data", parent: "ENG", monthlyBudget: "1200.50" });
    expect(created).toMatchObject({ code: "DATA", parent: "ENG", monthlyBudget: "1200.50", archived: false });
    await expect(createDepartment(admin, { code: "DATA", name: "Again" })).rejects.toBeInstanceOf(ConflictError);
    const cycle = updateDepartment(admin, "ENG", { parent: "DATA" });
    await expect(cycle).rejects.toBeInstanceOf(BadRequestError);
    await expect(cycle).rejects.toMatchObject({ details: [{ path: "parent", message: "would make the department its own ancestor" }] });
    expect((await updateDepartment(admin, "DATA", { name: "Data Science", parent: "EXEC" })).parent).toBe("EXEC");
    const budgeted = await setBudget(admin, "DATA", { monthlyBudget: "900", thresholds: [{ basis: "spend", percent: 90 }] });
    expect(budgeted).toMatchObject({ monthlyBudget: "900.00", thresholds: [{ basis: "spend", percent: 90 }] });
    expect((await assignAgent(admin, "DATA", { agent: "coder" })).agents.map((a) => a.key)).toEqual(["coder"]);
    await expect(updateDepartment(admin, "EXEC", { archived: true })).rejects.toBeInstanceOf(ConflictError);
    expect((await updateDepartment(admin, "DATA", { archived: true })).archived).toBe(true);
    const actions = await db.auditLog.findMany({ where: { entityId: { in: [String(created.id), String(agents.coder)] } }, orderBy: { id: "asc" }, select: { action: true } });
    expect(actions.map((a) => a.action)).toEqual(["department.create", "department.update", "department.budget", "agent.assign_department", "department.archive"]);
    expect((await listDepartments(admin)).find((d) => d.code === "DATA")!.archived).toBe(true);
    // Archived and without cost in the period: not on the allocation page; history elsewhere is untouched.
    expect((await allocationReport(admin, "2026-03")).departments.some((d) => d.code === "DATA")).toBe(false);
  });

  test("rule validation names the field", async () => {
    const bad = createRule(admin, { agent: "helpdesk", method: "fixed", effectiveFrom: "2099-01-01", shares: [{ department: "IT", percent: "60" }, { department: "HR", percent: "30" }] });
    await expect(bad).rejects.toMatchObject({ details: [{ path: "shares", message: "percentages must sum to 100 (they sum to 90)" }] });
    await expect(createRule(admin, { agent: "helpdesk", method: "even", effectiveFrom: "2020-01-01", shares: [{ department: "NOPE" }] })).rejects.toMatchObject({
      details: [{ path: "shares.0.department", message: "no department with code NOPE" }],
    });
    const ok = await createRule(admin, { agent: "coder", method: "fixed", effectiveFrom: "2099-01-01", shares: [{ department: "IT", percent: "60" }, { department: "HR", percent: "40" }] });
    expect(ok).toMatchObject({ agent: { key: "coder" }, method: "fixed", driver: null, shares: [{ department: "HR", percent: "40" }, { department: "IT", percent: "60" }] });
    expect((await db.agent.findUnique({ where: { id: agents.coder } }))!.shared).toBe(true);
  });
});
