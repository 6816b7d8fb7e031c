// Month close over real PostgreSQL: a closed month's figures never change; marking an agent shared, a rule reaching
// back into it, late events are carried into the next open month as adjustments; a preview equals what saving
// applies; reopening is audited and refused while a later month is closed. Then the one-file chargeback: CSV, XLSX
// (read back with exceljs) and journal totals against independent SQL over raw events; formula injection neutralised.
import { Decimal as D } from "decimal.js";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { chargebackCsv, chargebackJournal, chargebackPdf, chargebackRows, chargebackXlsx } from "./chargeback";
import { closeMonth, listCloses, reopenMonth } from "./close";
import { updateGlMapping } from "./gl";
import { previewChange } from "./preview";
import { allocationReport, departmentStatement } from "./report";
import { createRule, deleteRule, endRule } from "./rule-admin";
import { allocationResponse } from "./schemas";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
const DEC_15 = new Date("2026-12-15T12:00:00Z");
const ids: Record<string, number> = {};
const agents: Record<string, number> = {};
let n = 0;

async function event(at: string, agent: string, dept: string, cost: string) {
  await pool.query(
    "INSERT INTO usage_events (source, event_key, timestamp, type, agent_id, department_id, cost) VALUES ('t', $1, $2, 'agent.action', $3, $4, $5)",
    [`e${n++}`, at, agents[agent], ids[dept], cost],
  );
}

/** Department code → total, and unallocated, as the API shows them. */
async function figures(period: string) {
  const r = allocationResponse.parse(await allocationReport(admin, period, DEC_15));
  const sum = r.departments.reduce((acc, d) => acc.plus(d.total), new D(r.unallocated!));
  expect(sum.toFixed(2)).toBe(r.total); // conservation, adjustments included
  return { ...Object.fromEntries(r.departments.map((d) => [d.code, d.total])), unallocated: r.unallocated!, total: r.total } as Record<string, string>;
}

beforeAll(async () => {
  await pool.query("INSERT INTO organizations (id, name, currency, time_zone, updated_at) VALUES (1, 'T', 'USD', 'UTC', now())");
  await pool.query("INSERT INTO users (id, email, name, role, updated_at) VALUES (1, 'admin@test', 'Admin', 'admin', now())");
  for (const [code, name] of [["OPS", "Operations"], ["SALES", "Sales"], ["MKT", "=HYPERLINK(\"http://evil\",\"x\")"]] as const) {
    ids[code] = (await pool.query<{ id: number }>("INSERT INTO departments (code, name, monthly_budget, updated_at) VALUES ($1, $2, 1000, now()) RETURNING id", [code, name])).rows[0]!.id;
  }
  for (const [key, dept] of [["solo", "SALES"], ["pool", "OPS"], ["promo", "MKT"]] as const) {
    agents[key] = (await pool.query<{ id: number }>("INSERT INTO agents (key, name, department_id, updated_at) VALUES ($1, $1, $2, now()) RETURNING id", [key, ids[dept]])).rows[0]!.id;
  }
  for (const month of ["2026-10", "2026-11", "2026-12"]) {
    await event(`${month}-03T10:00:00Z`, "solo", "SALES", "41.17");
    await event(`${month}-05T10:00:00Z`, "pool", "OPS", "100.25");
    await event(`${month}-09T10:00:00Z`, "pool", "OPS", "82.50"); // pool: 182.75 a month
    await event(`${month}-11T10:00:00Z`, "promo", "MKT", "7.03");
  }
  await rebuildRollups(pool);
});

describe("month close", () => {
  test("closing freezes the month; marking an agent shared moves nothing in it and adjusts the next open month", async () => {
    const november = await figures("2026-11");
    expect(november).toMatchObject({ OPS: "182.75", SALES: "41.17", unallocated: "0.00", total: "230.95" });
    await expect(closeMonth(admin, "2026-12", DEC_15)).rejects.toMatchObject({ status: 400 });
    await closeMonth(admin, "2026-11", DEC_15);
    await expect(closeMonth(admin, "2026-11", DEC_15)).rejects.toMatchObject({ status: 409 });
    expect((await listCloses()).map((c) => [c.period, c.total, c.closedBy])).toEqual([["2026-11", "230.95", "admin@test"]]);

    await db.agent.update({ where: { id: agents.pool }, data: { shared: true } });
    expect(await figures("2026-11")).toEqual(november);
    // October is open: it changes at once. December carries November's change and has its own unallocated cost.
    expect(await figures("2026-10")).toMatchObject({ OPS: "0.00", unallocated: "182.75" });
    const december = await figures("2026-12");
    expect(december).toMatchObject({ OPS: "-182.75", unallocated: "365.50", total: "230.95" });
    const ops = await departmentStatement(admin, "OPS", "2026-12", DEC_15);
    expect(ops.department).toMatchObject({ direct: "0.00", allocated: "0.00", adjustments: "-182.75", total: "-182.75" });
    expect(ops.lines).toEqual([expect.objectContaining({ kind: "adjustment", adjusts: "2026-11", agent: { key: "pool", name: "pool" }, amount: "-182.75" })]);
  });

  test("a 60/40 rule from November: the preview equals what saving applies; November stays closed", async () => {
    const change = { kind: "create" as const, rule: { agent: "pool", method: "fixed" as const, effectiveFrom: "2026-11-01", shares: [{ department: "OPS", percent: "60" }, { department: "SALES", percent: "40" }] } };
    const preview = await previewChange(admin, { period: "2026-11", change });
    expect(preview).toMatchObject({ requested: "2026-11", period: "2026-12", requestedClosed: true });
    const byCode = Object.fromEntries(preview.departments.map((d) => [d.code, d]));
    // December: its own 182.75 split 109.65 / 73.10, plus November's carried difference (−73.10 / +73.10).
    expect(byCode.OPS).toMatchObject({ before: "-182.75", after: "36.55" });
    expect(byCode.SALES).toMatchObject({ before: "41.17", after: "187.37" });
    expect(preview.unallocated).toEqual({ before: "365.50", after: "0.00", change: "-365.50" });

    const rule = await createRule(admin, change.rule);
    const after = await figures("2026-12");
    for (const d of preview.departments) expect(after[d.code]).toBe(d.after);
    expect(after.unallocated).toBe(preview.unallocated!.after);
    expect((await figures("2026-11")).OPS).toBe("182.75");

    // Ending and deleting preview the same way.
    const endPreview = await previewChange(admin, { period: "2026-12", change: { kind: "end", id: rule.id, effectiveTo: "2026-12-06" } });
    await endRule(admin, rule.id, { effectiveTo: "2026-12-06" });
    expect((await figures("2026-12")).unallocated).toBe(endPreview.unallocated!.after);
    expect(endPreview.unallocated!.after).toBe("82.50"); // the 9 December event has no rule
    await endRule(admin, rule.id, { effectiveTo: null });
    const deletePreview = await previewChange(admin, { period: "2026-12", change: { kind: "delete", id: rule.id } });
    expect(deletePreview.unallocated!.after).toBe("365.50");
  });

  test("overlapping versions are refused, naming the field", async () => {
    const rule = (await db.allocationRule.findFirstOrThrow({ where: { agentId: agents.pool } })).id;
    await endRule(admin, rule, { effectiveTo: "2026-12-31" });
    await expect(createRule(admin, { agent: "pool", method: "even", effectiveFrom: "2026-12-10", shares: [{ department: "OPS" }] })).rejects.toMatchObject({
      status: 400,
      details: [{ path: "effectiveFrom", message: `overlaps version #${rule}, which runs until 2026-12-31` }],
    });
    await endRule(admin, rule, { effectiveTo: null });
  });

  test("late events into a closed month land in the next open month, counted once across closes; reopening is audited", async () => {
    const november = await figures("2026-11");
    await event("2026-11-20T10:00:00Z", "solo", "SALES", "10.01");
    await rebuildRollups(pool);
    expect(await figures("2026-11")).toEqual(november);
    const decSales = (await figures("2026-12")).SALES;
    const JAN_5 = new Date("2027-01-05T12:00:00Z");
    await closeMonth(admin, "2026-12", JAN_5);
    expect((await figures("2026-12")).SALES).toBe(decSales);
    // Another late November event: January carries only it (December's close froze the first one).
    await event("2026-11-21T10:00:00Z", "solo", "SALES", "5.55");
    await rebuildRollups(pool);
    const jan = await departmentStatement(admin, "SALES", "2027-01", JAN_5);
    expect(jan.lines).toEqual([expect.objectContaining({ kind: "adjustment", adjusts: "2026-11", amount: "5.55" })]);

    await expect(reopenMonth(admin, "2026-11", "wrong rate")).rejects.toMatchObject({ status: 409 });
    await reopenMonth(admin, "2026-12", "late invoices from the vendor");
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "allocation_month.reopen" } });
    expect(audit).toMatchObject({ entityId: "2026-12", actor: "admin@test", after: { reason: "late invoices from the vendor" } });
    // December is live again: it now carries every change to November (both late events).
    const decLines = (await departmentStatement(admin, "SALES", "2026-12", JAN_5)).lines.filter((l) => l.kind === "adjustment");
    expect(decLines.map((l) => [l.agent.key, l.amount])).toEqual([["solo", "15.56"], ["pool", "73.10"]]); // both late events; the rule
  });
});

describe("one-file chargeback", () => {
  test("CSV, XLSX and journal totals equal SQL over raw events; formulas neutralised; journal balanced", async () => {
    // October is open and has no closed month before it: its figures are the raw events' own.
    const sql = await pool.query<{ code: string | null; total: string }>(`
      SELECT CASE WHEN a.shared THEN NULL ELSE d.code END AS code, round(sum(e.cost), 2)::text AS total
      FROM usage_events e JOIN agents a ON a.id = e.agent_id JOIN departments d ON d.id = e.department_id
      WHERE e.timestamp >= '2026-10-01' AND e.timestamp < '2026-11-01' GROUP BY 1`);
    const expected = new Map(sql.rows.map((r) => [r.code ?? "UNALLOCATED", r.total]));
    // pool is shared; its rule starts in November, so October's pool cost is unallocated.
    expect(Object.fromEntries(expected)).toEqual({ SALES: "41.17", MKT: "7.03", UNALLOCATED: "182.75" });
    const grand = sql.rows.reduce((acc, r) => acc.plus(r.total), new D(0)).toFixed(2);

    const c = await chargebackRows(admin, "2026-10");
    const csv = parse(chargebackCsv(c), { columns: true }) as Record<string, string>[];
    const csvTotal = (name: string) => csv.find((r) => r.department_code === name || r.department_name === name)!.total;
    expect(csvTotal("SALES")).toBe("41.17");
    expect(csvTotal("MKT")).toBe("7.03");
    expect(csvTotal("Unallocated")).toBe("182.75");
    expect(csvTotal("Total")).toBe(grand);
    expect(csv.find((r) => r.department_code === "SALES")).toMatchObject({ budget: "1000.00", variance: "958.83" });
    expect(csv.find((r) => r.department_code === "MKT")!.department_name).toBe("'=HYPERLINK(\"http://evil\",\"x\")");

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await chargebackXlsx(c)) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const rows: Record<string, ExcelJS.Cell>[] = [];
    for (let i = 2; i <= sheet.rowCount; i++) rows.push(Object.fromEntries(header.map((h, j) => [h, sheet.getRow(i).getCell(j + 1)])));
    const cellTotal = (name: string) => new D(String(rows.find((r) => r.department_code!.value === name || r.department_name!.value === name)!.total!.value)).toFixed(2);
    expect(cellTotal("SALES")).toBe("41.17");
    expect(cellTotal("Total")).toBe(grand);
    const evil = rows.find((r) => r.department_code!.value === "MKT")!.department_name!;
    expect(evil.formula).toBeUndefined();
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    expect(evil.value).toBe("'=HYPERLINK(\"http://evil\",\"x\")");

    await expect(chargebackJournal(c)).rejects.toMatchObject({ status: 400, details: expect.arrayContaining([{ path: "offsetAccount", message: "no offset account is set" }, { path: "departments.SALES", message: "SALES has no GL account" }]) });
    await updateGlMapping(admin, {
      offsetAccount: "2990",
      departments: [
        { code: "SALES", glAccount: "6420", costCenterCode: "CC-200" },
        { code: "MKT", glAccount: "6430", costCenterCode: null },
        { code: "OPS", glAccount: "6440", costCenterCode: "CC-100" },
      ],
    });
    const journal = await chargebackJournal(await chargebackRows(admin, "2026-12"));
    const lines = parse(journal.csv, { columns: true }) as Record<string, string>[];
    const debit = lines.reduce((a, l) => a.plus(l.debit!), new D(0));
    const credit = lines.reduce((a, l) => a.plus(l.credit!), new D(0));
    expect(debit.toFixed(2)).toBe(credit.toFixed(2));
    expect(journal.debit).toBe(journal.credit);
    const december = allocationResponse.parse(await allocationReport(admin, "2026-12", DEC_15));
    const charged = december.departments.reduce((a, d) => a.plus(d.total), new D(0));
    const offset = lines.find((l) => l.account === "2990")!;
    expect(new D(offset.credit!).minus(offset.debit!).toFixed(2)).toBe(charged.toFixed(2));
    expect(lines.find((l) => l.department_code === "SALES")).toMatchObject({ account: "6420", cost_center: "CC-200", journal_id: "AL-CB-2026-12", date: "2026-12-31" });
    expect(lines.find((l) => l.department_code === "MKT")!.cost_center).toBe("MKT");

    expect((await chargebackPdf(c, "T")).subarray(0, 5).toString()).toBe("%PDF-");
  });

  test("a department-scoped finance user's file has their departments only", async () => {
    const scoped: UserCaller = { ...admin, id: 2, role: "finance", departmentIds: [ids.SALES!] };
    const csv = parse(chargebackCsv(await chargebackRows(scoped, "2026-10")), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r.department_name)).toEqual(["Sales", "Total"]);
    expect(csv[1]!.total).toBe("41.17");
  });
});

test("deleting a rule is allowed in any month and audited", async () => {
  const rule = (await db.allocationRule.findFirstOrThrow({ where: { agentId: agents.pool } })).id;
  await deleteRule(admin, rule);
  expect(await db.auditLog.count({ where: { action: "allocation_rule.delete", entityId: String(rule) } })).toBe(1);
});
