// Creates departments from a CSV file (code,name,parent,monthly_budget): all rows or none, every problem reported per row.
import "server-only";
import { parse } from "csv-parse/sync";
import { audit } from "@/lib/audit";
import { listDepartments } from "@/lib/allocation/departments";
import type { DepartmentResponse } from "@/lib/allocation/schemas";
import { BadRequestError, type ErrorDetail } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";
import { departmentCsvColumns, departmentCsvRow, MAX_IMPORT_DEPARTMENTS } from "./schemas";

type Row = { line: number; code: string; name: string; parent: string | null; budget: string | null };

const normalise = (header: string) => header.trim().toLowerCase().replace(/[\s-]+/g, "_");
const invalid = (details: ErrorDetail[]) => new BadRequestError("Invalid department file: nothing was created", details.slice(0, 100));

/** Parses and validates the file on its own; problems that need the database come later. */
export function parseDepartmentCsv(text: string): Row[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map(normalise), bom: true, skip_empty_lines: true, trim: true, info: true });
  } catch (error) {
    throw invalid([{ path: "file", message: (error as Error).message.slice(0, 200) }]);
  }
  const first = records[0];
  if (!first) throw invalid([{ path: "file", message: "has no rows under the header line code,name,parent,monthly_budget" }]);
  const header = Object.keys(first.record);
  const unknown = header.filter((h) => !(departmentCsvColumns as readonly string[]).includes(h));
  const missing = ["code", "name"].filter((h) => !header.includes(h));
  if (unknown.length || missing.length) {
    throw invalid([
      ...missing.map((h) => ({ path: "header", message: `needs a column '${h}'` })),
      ...unknown.map((h) => ({ path: "header", message: `unknown column '${h}' (columns: ${departmentCsvColumns.join(", ")})` })),
    ]);
  }
  if (records.length > MAX_IMPORT_DEPARTMENTS) throw invalid([{ path: "file", message: `has ${records.length} rows; at most ${MAX_IMPORT_DEPARTMENTS}` }]);

  const details: ErrorDetail[] = [];
  const rows: Row[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    // Duplicates are checked on the raw code, so a row that is invalid for another reason still counts as taken.
    const raw = (record.code ?? "").trim();
    if (raw && seen.has(raw)) details.push({ path: `line ${line}.code`, message: `${raw} is already on line ${seen.get(raw)}` });
    else if (raw) seen.set(raw, line);
    const result = departmentCsvRow.safeParse({ parent: "", monthly_budget: "", ...record });
    if (!result.success) {
      for (const issue of result.error.issues) details.push({ path: `line ${line}.${issue.path.join(".")}`, message: issue.message });
      continue;
    }
    const { code, name, parent, monthly_budget } = result.data;
    rows.push({ line, code, name, parent, budget: monthly_budget });
  }
  if (details.length) throw invalid(details);
  return rows;
}

/** Parents before children; a parent is another row of the file or an existing, active department. */
function order(rows: Row[], existing: Map<string, { archived: boolean }>): Row[] {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const details: ErrorDetail[] = [];
  for (const r of rows) {
    if (existing.has(r.code)) details.push({ path: `line ${r.line}.code`, message: `a department with code ${r.code} already exists` });
    if (r.parent === null || byCode.has(r.parent)) continue;
    const parent = existing.get(r.parent);
    if (!parent) details.push({ path: `line ${r.line}.parent`, message: `no department ${r.parent} in the file or in AgentLedger` });
    else if (parent.archived) details.push({ path: `line ${r.line}.parent`, message: `${r.parent} is archived` });
  }
  if (details.length) throw invalid(details);

  const sorted: Row[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (r: Row) => {
    if (state.get(r.code) === "done") return;
    if (state.get(r.code) === "visiting") throw invalid([{ path: `line ${r.line}.parent`, message: `${r.code} is its own ancestor` }]);
    state.set(r.code, "visiting");
    const parent = r.parent === null ? undefined : byCode.get(r.parent);
    if (parent) visit(parent);
    state.set(r.code, "done");
    sorted.push(r);
  };
  rows.forEach(visit);
  return sorted;
}

export async function importDepartments(caller: Caller, text: string): Promise<DepartmentResponse[]> {
  const rows = parseDepartmentCsv(text);
  const codes = [...new Set(rows.flatMap((r) => (r.parent ? [r.code, r.parent] : [r.code])))];
  await db.$transaction(async (tx) => {
    const found = await tx.department.findMany({ where: { code: { in: codes } }, select: { id: true, code: true, archivedAt: true } });
    const ids = new Map(found.map((d) => [d.code, d.id]));
    for (const r of order(rows, new Map(found.map((d) => [d.code, { archived: d.archivedAt !== null }])))) {
      const created = await tx.department.create({
        data: { code: r.code, name: r.name, parentId: r.parent ? ids.get(r.parent) : null, monthlyBudget: r.budget },
        select: { id: true },
      });
      ids.set(r.code, created.id);
      await audit(tx, { actor: caller, action: "department.create", entity: "department", entityId: created.id, after: { code: r.code, name: r.name, parent: r.parent, monthlyBudget: r.budget, via: "csv import" } });
    }
  });
  const created = new Set(rows.map((r) => r.code));
  return (await listDepartments(caller)).filter((d) => created.has(d.code));
}
