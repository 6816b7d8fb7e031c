// The month's whole chargeback as one file — CSV, XLSX, PDF — and as journal entries for the general ledger.
// Every file is built from the same rows (chargebackRows), which come from the allocation report, so the files,
// the Allocation page and the API agree to the cent. Department-scoped callers get their departments only.
import "server-only";
import ExcelJS from "exceljs";
import PDFDocument from "pdfkit";
import type { Caller } from "@/lib/auth/caller";
import { BadRequestError } from "@/lib/api/errors";
import { neutralise, toCsv, type CsvValue } from "@/lib/csv";
import { db } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { Decimal, ZERO, money, sum } from "./decimal";
import { allocationReport } from "./report";
import type { AllocationResponse } from "./schemas";

export const CHARGEBACK_COLUMNS = [
  "period", "department_code", "department_name", "parent_code", "cost_center_code", "gl_account",
  "direct", "allocated", "adjustments", "total", "budget", "variance", "budget_used_percent", "currency",
] as const;

export type Chargeback = { report: AllocationResponse; rows: CsvValue[][]; total: string };

/** One row per department (tree order), then Unallocated (unscoped callers) and the total. Variance = budget − total. */
export async function chargebackRows(caller: Caller, period: string): Promise<Chargeback> {
  const [report, gl] = await Promise.all([
    allocationReport(caller, period),
    db.department.findMany({ select: { code: true, glAccount: true, costCenterCode: true } }),
  ]);
  const glOf = new Map(gl.map((d) => [d.code, d]));
  const rows: CsvValue[][] = report.departments.map((d) => [
    report.period, d.code, d.name, d.parent, glOf.get(d.code)?.costCenterCode ?? null, glOf.get(d.code)?.glAccount ?? null,
    d.direct, d.allocated, d.adjustments, d.total, d.budget,
    d.budget === null ? null : money(new Decimal(d.budget).minus(d.total)), d.budgetUsed, report.currency,
  ]);
  if (report.unallocated !== null) {
    rows.push([report.period, null, "Unallocated", null, null, null, null, null, null, report.unallocated, null, null, null, report.currency]);
  }
  rows.push([report.period, null, "Total", null, null, null, null, null, null, report.total, null, null, null, report.currency]);
  return { report, rows, total: report.total };
}

export function chargebackCsv(c: Chargeback): string {
  return toCsv(CHARGEBACK_COLUMNS, c.rows);
}

const MONEY_COLUMNS = new Set(["direct", "allocated", "adjustments", "total", "budget", "variance"]);

/**
 * Amounts are numeric cells (2 decimals, exact in the file's decimal text for any amount below 2^53 cents); every
 * other cell is text passed through the same neutraliser as the CSV, so no cell is ever read as a formula.
 */
export async function chargebackXlsx(c: Chargeback): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "AgentLedger";
  const sheet = book.addWorksheet(`Chargeback ${c.report.period}`);
  sheet.addRow([...CHARGEBACK_COLUMNS]).font = { bold: true };
  for (const row of c.rows) {
    sheet.addRow(row.map((value, i) => (MONEY_COLUMNS.has(CHARGEBACK_COLUMNS[i]!) && value !== null && value !== undefined ? Number(value) : neutralise(value))));
  }
  CHARGEBACK_COLUMNS.forEach((name, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = name === "department_name" ? 28 : 14;
    if (MONEY_COLUMNS.has(name)) column.numFmt = "#,##0.00";
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

export function chargebackPdf(c: Chargeback, organization: string): Promise<Buffer> {
  const r = c.report;
  const doc = new PDFDocument({ size: "A4", layout: "landscape", margin: 40, info: { Title: `Chargeback ${r.period}`, Author: organization } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const m = (v: string | null) => (v === null ? "—" : formatMoney(v, r.currency));
  doc.font("Helvetica-Bold").fontSize(16).text(`${organization} — AI chargeback ${r.period}`);
  doc.font("Helvetica").fontSize(9).fillColor("#555").text(
    `${r.from} to ${r.to} (${r.timeZone}) · ${r.closed ? `closed ${r.closed.closedAt.slice(0, 10)}` : "open month: figures may still change"} · internal chargeback, not an invoice`,
  );
  doc.moveDown().fillColor("#000");
  const columns = [
    { label: "Department", width: 190 }, { label: "Direct", width: 80 }, { label: "Allocated", width: 80 }, { label: "Adjustments", width: 80 },
    { label: "Total", width: 85 }, { label: "Budget", width: 85 }, { label: "Variance", width: 85 },
  ];
  const row = (cells: string[], bold = false) => {
    if (doc.y > doc.page.height - 60) doc.addPage();
    const y = doc.y;
    let x = doc.page.margins.left;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
    cells.forEach((cell, i) => {
      doc.text(cell, x, y, { width: columns[i]!.width - 6, align: i === 0 ? "left" : "right" });
      x += columns[i]!.width;
    });
    doc.moveDown(0.4);
    doc.x = doc.page.margins.left;
  };
  row(columns.map((col) => col.label), true);
  for (const d of r.departments) {
    row([`${d.name} (${d.code})`, m(d.direct), m(d.allocated), m(d.adjustments), m(d.total), m(d.budget), d.budget === null ? "—" : m(money(new Decimal(d.budget).minus(d.total)))]);
  }
  if (r.unallocated !== null) row(["Unallocated", "", "", "", m(r.unallocated), "", ""]);
  row(["Total", "", "", "", m(r.total), "", ""], true);
  doc.end();
  return done;
}

export const JOURNAL_COLUMNS = ["journal_id", "date", "line", "account", "cost_center", "department_code", "description", "debit", "credit", "currency"] as const;

/**
 * Balanced journal entries: each department's total debited to its GL account and cost center (a negative total,
 * e.g. a credit adjustment, is credited), the net credited to the offset account. Unallocated cost stays where it was
 * booked (no line). Refuses with the departments to map when a charged department or the offset has no account.
 */
export async function chargebackJournal(c: Chargeback): Promise<{ csv: string; debit: string; credit: string }> {
  const r = c.report;
  const [org, gl] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { glOffsetAccount: true } }),
    db.department.findMany({ select: { code: true, glAccount: true, costCenterCode: true } }),
  ]);
  const glOf = new Map(gl.map((d) => [d.code, d]));
  const charged = r.departments.filter((d) => d.total !== "0.00" && d.total !== "-0.00");
  const details = charged.flatMap((d) => (glOf.get(d.code)?.glAccount ? [] : [{ path: `departments.${d.code}`, message: `${d.code} has no GL account` }]));
  if (!org.glOffsetAccount) details.unshift({ path: "offsetAccount", message: "no offset account is set" });
  if (details.length) throw new BadRequestError("Map the departments to GL accounts first (Allocation → GL accounts)", details);
  const id = `AL-CB-${r.period}`;
  const description = `AI chargeback ${r.period}`;
  const lines: CsvValue[][] = [];
  const debits: Decimal[] = [];
  const credits: Decimal[] = [];
  const add = (account: string, costCenter: string | null, code: string | null, text: string, amount: Decimal) => {
    const debit = amount.greaterThan(0) ? amount : ZERO;
    const credit = amount.lessThan(0) ? amount.neg() : ZERO;
    debits.push(debit);
    credits.push(credit);
    lines.push([id, r.to, lines.length + 1, account, costCenter, code, text, money(debit), money(credit), r.currency]);
  };
  for (const d of charged) {
    const g = glOf.get(d.code)!;
    add(g.glAccount!, g.costCenterCode ?? d.code, d.code, `${description}: ${d.name}`, new Decimal(d.total));
  }
  const net = sum(charged.map((d) => new Decimal(d.total)));
  if (!net.isZero()) add(org.glOffsetAccount!, null, null, `${description}: offset`, net.neg());
  return { csv: toCsv(JOURNAL_COLUMNS, lines), debit: money(sum(debits)), credit: money(sum(credits)) };
}
