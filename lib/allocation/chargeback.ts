// The month's whole chargeback as one file — CSV, XLSX, PDF — and as journal entries for the general ledger.
// Every file is built from the same rows (chargebackRows), which come from the allocation report, so the files,
// the Allocation page and the API agree to the cent. Department-scoped callers get their departments only.
// In a display currency (display.ts) the amounts are converted and each row also carries its organization-currency
// total, what was left unconverted and the rate dates; budgets and variances stay in the organization currency.
import "server-only";
import ExcelJS from "exceljs";
import PDFDocument from "pdfkit";
import type { Caller } from "@/lib/auth/caller";
import { BadRequestError } from "@/lib/api/errors";
import { neutralise, toCsv, type CsvValue } from "@/lib/csv";
import { db } from "@/lib/db";
import { formatMoney } from "@/lib/format";
import { minorUnits } from "@/lib/currency/iso4217";
import { Decimal, ZERO, money, sum } from "./decimal";
import { allocationReport } from "./report";
import type { AllocationConversion, AllocationDepartment, AllocationResponse } from "./schemas";

export const CHARGEBACK_COLUMNS = [
  "period", "department_code", "department_name", "parent_code", "cost_center_code", "gl_account",
  "direct", "allocated", "adjustments", "total", "budget", "variance", "budget_used_percent", "currency",
] as const;

/** In a display currency: the amounts are in `currency`; budget and variance (budget − org_total) in `org_currency`. */
export const CONVERTED_CHARGEBACK_COLUMNS = [
  "period", "department_code", "department_name", "parent_code", "cost_center_code", "gl_account",
  "direct", "allocated", "adjustments", "total", "currency", "org_total", "unconverted_org", "org_currency", "rate_rule", "rate_dates", "missing_rate_days",
  "budget_org", "variance_org", "budget_used_percent",
] as const;

export type Chargeback = { report: AllocationResponse; columns: readonly string[]; rows: CsvValue[][]; total: string };

/** "2026-11-02..2026-11-30", one date, or "no rate"; with a row's adjustments, also the rate dates they were converted at. */
export function rateDatesCell(c: AllocationConversion, adjusted: boolean): string {
  const own = c.rateDates ? (c.rateDates.first === c.rateDates.last ? c.rateDates.first : `${c.rateDates.first}..${c.rateDates.last}`) : "no rate";
  const adjustments = c.adjustments.map((a) => `${a.adjusts} at ${a.rateDate ?? "no rate"}`);
  return adjusted && adjustments.length ? `${own}; adjustments: ${adjustments.join(", ")}` : own;
}

/**
 * One row per department (tree order), then Unallocated (unscoped callers) and the total. Variance = budget − total,
 * in the organization currency. `currency`: a display currency (default: the organization currency).
 */
export async function chargebackRows(caller: Caller, period: string, currency?: string): Promise<Chargeback> {
  const [report, gl] = await Promise.all([
    allocationReport(caller, period, new Date(), currency),
    db.department.findMany({ select: { code: true, glAccount: true, costCenterCode: true } }),
  ]);
  const glOf = new Map(gl.map((d) => [d.code, d]));
  const head = (d: AllocationDepartment): CsvValue[] => [report.period, d.code, d.name, d.parent, glOf.get(d.code)?.costCenterCode ?? null, glOf.get(d.code)?.glAccount ?? null, d.direct, d.allocated, d.adjustments, d.total];
  const c = report.conversion;
  if (!c) {
    const rows: CsvValue[][] = report.departments.map((d) => [...head(d), d.budget, d.budget === null ? null : money(new Decimal(d.budget).minus(d.total)), d.budgetUsed, report.currency]);
    if (report.unallocated !== null) rows.push([report.period, null, "Unallocated", null, null, null, null, null, null, report.unallocated, null, null, null, report.currency]);
    rows.push([report.period, null, "Total", null, null, null, null, null, null, report.total, null, null, null, report.currency]);
    return { report, columns: CHARGEBACK_COLUMNS, rows, total: report.total };
  }
  const missing = c.missingDays.join(" ");
  const rows: CsvValue[][] = report.departments.map((d) => [
    ...head(d), report.currency, d.orgTotal, d.unconverted, report.orgCurrency, c.rule, rateDatesCell(c, new Decimal(d.adjustments).isZero() === false), missing,
    d.budget, d.budget === null ? null : money(new Decimal(d.budget).minus(d.orgTotal!)), d.budgetUsed,
  ]);
  const summary = (name: string, total: string, orgTotal: string, unconverted: string): CsvValue[] =>
    [report.period, null, name, null, null, null, null, null, null, total, report.currency, orgTotal, unconverted, report.orgCurrency, c.rule, rateDatesCell(c, true), missing, null, null, null];
  if (report.unallocated !== null) rows.push(summary("Unallocated", report.unallocated, c.orgUnallocated!, c.unconvertedUnallocated!));
  rows.push(summary("Total", report.total, c.orgTotal, c.unconverted));
  return { report, columns: CONVERTED_CHARGEBACK_COLUMNS, rows, total: report.total };
}

export function chargebackCsv(c: Chargeback): string {
  return toCsv(c.columns, c.rows);
}

const MONEY_COLUMNS = new Set(["direct", "allocated", "adjustments", "total", "budget", "variance", "org_total", "unconverted_org", "budget_org", "variance_org"]);
const ORG_MONEY = new Set(["org_total", "unconverted_org", "budget_org", "variance_org"]);
const numberFormat = (places: number) => (places === 0 ? "#,##0" : `#,##0.${"0".repeat(places)}`);

/**
 * Amounts are numeric cells (2 decimals, exact in the file's decimal text for any amount below 2^53 cents); every
 * other cell is text passed through the same neutraliser as the CSV, so no cell is ever read as a formula.
 */
export async function chargebackXlsx(c: Chargeback): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "AgentLedger";
  const sheet = book.addWorksheet(`Chargeback ${c.report.period}`);
  sheet.addRow([...c.columns]).font = { bold: true };
  for (const row of c.rows) {
    sheet.addRow(row.map((value, i) => (MONEY_COLUMNS.has(c.columns[i]!) && value !== null && value !== undefined ? Number(value) : neutralise(value))));
  }
  const places = c.report.conversion ? minorUnits(c.report.currency) : 2;
  c.columns.forEach((name, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = name === "department_name" ? 28 : name === "rate_dates" || name === "missing_rate_days" ? 24 : 14;
    if (MONEY_COLUMNS.has(name)) column.numFmt = numberFormat(ORG_MONEY.has(name) ? 2 : places);
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
  const places = r.conversion ? minorUnits(r.currency) : 2;
  const m = (v: string | null) => (v === null ? "—" : formatMoney(v, r.currency, places, places));
  const org = (v: string | null) => (v === null ? "—" : formatMoney(v, r.orgCurrency ?? r.currency));
  doc.font("Helvetica-Bold").fontSize(16).text(`${organization} — AI chargeback ${r.period}${r.conversion ? ` in ${r.currency}` : ""}`);
  doc.font("Helvetica").fontSize(9).fillColor("#555").text(
    `${r.from} to ${r.to} (${r.timeZone}) · ${r.closed ? `closed ${r.closed.closedAt.slice(0, 10)}` : "open month: figures may still change"} · internal chargeback, not an invoice`,
  );
  if (r.conversion) for (const line of conversionLines(r.conversion)) doc.text(line);
  doc.moveDown().fillColor("#000");
  const orgLabel = r.orgCurrency ? ` (${r.orgCurrency})` : "";
  const columns = [
    { label: "Department", width: 170 }, { label: "Direct", width: 75 }, { label: "Allocated", width: 75 }, { label: "Adjustments", width: 75 },
    { label: "Total", width: 80 }, ...(r.conversion ? [{ label: `Total${orgLabel}`, width: 80 }] : []), { label: `Budget${orgLabel}`, width: 80 }, { label: `Variance${orgLabel}`, width: 80 },
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
  const cv = r.conversion;
  for (const d of r.departments) {
    const orgTotal = d.orgTotal ?? d.total;
    row([`${d.name} (${d.code})`, m(d.direct), m(d.allocated), m(d.adjustments), m(d.total), ...(cv ? [org(orgTotal)] : []), org(d.budget), d.budget === null ? "—" : org(money(new Decimal(d.budget).minus(orgTotal)))]);
  }
  if (r.unallocated !== null) row(["Unallocated", "", "", "", m(r.unallocated), ...(cv ? [org(cv.orgUnallocated)] : []), "", ""]);
  row(["Total", "", "", "", m(r.total), ...(cv ? [org(cv.orgTotal)] : []), "", ""], true);
  doc.end();
  return done;
}

/** What a converted file says about its conversion (PDF header lines): the rule, the rate dates and what was left out. */
export function conversionLines(c: AllocationConversion): string[] {
  const rule =
    c.rule === "daily"
      ? `Converted from ${c.from} to ${c.to}, each day at its own rate (rates of ${rateDatesCell(c, false)}), rounded once to ${c.to}'s minor unit.`
      : `Closed month: the frozen ${c.from} figures converted to ${c.to} at the rate of the month's last day (rate of ${rateDatesCell(c, false)}).`;
  return [
    rule,
    ...(c.adjustments.length ? [`Adjustments converted at the last-day rate of the month they correct: ${c.adjustments.map((a) => `${a.adjusts} at ${a.rateDate ?? "no rate"}`).join(", ")}.`] : []),
    ...(c.missingDays.length || !new Decimal(c.unconverted).isZero()
      ? [`No rate for ${c.missingDays.length ? c.missingDays.join(", ") : "some adjusted months"}: ${formatMoney(c.unconverted, c.from)} is not converted and not in the ${c.to} figures.`]
      : []),
    `Total ${formatMoney(c.orgTotal, c.from)} in ${c.from}. Budgets and variances are in ${c.from}.`,
  ];
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
