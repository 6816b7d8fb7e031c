// Showback statement files for one department and period: CSV (one row per line) and PDF (the same, printable).
// In a display currency each line also carries its organization-currency amount and the rate dates (display.ts).
import "server-only";
import PDFDocument from "pdfkit";
import { toCsv } from "@/lib/csv";
import { minorUnits } from "@/lib/currency/iso4217";
import { formatMoney, formatNumber } from "@/lib/format";
import { conversionLines, rateDatesCell } from "./chargeback";
import type { StatementResponse } from "./schemas";

const CSV_COLUMNS = ["period", "department_code", "department_name", "agent_key", "agent_name", "kind", "rule_id", "method", "driver", "rule_effective_from", "share_percent", "events", "quantity", "amount", "currency"] as const;
/** A display currency adds: the line in the organization currency, the rule and rate dates, and the days with no rate. */
const CONVERTED_COLUMNS = [...CSV_COLUMNS, "org_amount", "org_currency", "rate_rule", "rate_dates", "missing_rate_days"] as const;

export function statementCsv(s: StatementResponse): string {
  const c = s.conversion;
  const rows = s.lines.map((l) => [
    s.period, s.department.code, s.department.name, l.agent.key, l.agent.name, l.kind,
    l.rule?.id ?? null, l.rule?.method ?? null, l.rule?.driver ?? null, l.rule?.effectiveFrom ?? null,
    l.sharePercent, l.events, l.quantity, l.amount, s.currency,
    ...(c ? [l.orgAmount ?? null, s.orgCurrency, c.rule, rateDatesCell(c, l.kind === "adjustment"), c.missingDays.join(" ")] : []),
  ]);
  if (!c) return toCsv(CSV_COLUMNS, rows);
  // The department's cost of days with no rate: not in any converted line, so it gets a row of its own.
  if (s.department.unconverted && s.department.unconverted !== "0.00") {
    rows.push([s.period, s.department.code, s.department.name, null, null, "unconverted", null, null, null, null, null, null, null, null, s.currency, s.department.unconverted, s.orgCurrency, c.rule, "no rate", c.missingDays.join(" ")]);
  }
  return toCsv(CONVERTED_COLUMNS, rows);
}

export function statementPdf(s: StatementResponse): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 48, info: { Title: `Showback ${s.department.code} ${s.period}` } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const places = s.conversion ? minorUnits(s.currency) : 2;
  const m = (v: string) => formatMoney(v, s.currency, places, places);
  // Budgets and forecasts stay in the organization currency.
  const org = (v: string) => formatMoney(v, s.orgCurrency ?? s.currency);
  doc.fontSize(18).text(`Showback statement — ${s.department.name} (${s.department.code})`);
  doc.moveDown(0.3).fontSize(10).fillColor("#555").text(`Period ${s.period} (${s.from} to ${s.to}) · internal chargeback, not an invoice`);
  if (s.conversion) for (const line of conversionLines(s.conversion)) doc.fontSize(9).text(line);
  doc.moveDown().fillColor("#000").fontSize(11);
  doc.text(`Direct cost: ${m(s.department.direct)}`);
  doc.text(`Allocated cost (shared agents): ${m(s.department.allocated)}`);
  doc.text(`Total: ${m(s.department.total)}${s.department.orgTotal ? ` (${org(s.department.orgTotal)})` : ""}`);
  if (s.department.unconverted && s.department.unconverted !== "0.00") doc.text(`Not converted (no rate): ${org(s.department.unconverted)}`);
  if (s.department.budget) doc.text(`Monthly budget: ${org(s.department.budget)} (${formatNumber(s.department.budgetUsed ?? 0, 2)}% used)`);
  doc.text(`Forecast to month end: ${org(s.department.forecast)}`);
  doc.moveDown();

  const columns = [
    { label: "Agent", width: 170 },
    { label: "Kind", width: 60 },
    { label: "Rule", width: 110 },
    { label: "Events", width: 60, right: true },
    { label: "Amount", width: 90, right: true },
  ];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = doc.page.margins.left;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
    cells.forEach((cell, i) => {
      const c = columns[i]!;
      doc.text(cell, x, y, { width: c.width - 6, align: c.right ? "right" : "left" });
      x += c.width;
    });
    doc.moveDown(0.4);
    doc.x = doc.page.margins.left;
  };
  row(columns.map((c) => c.label), true);
  for (const l of s.lines) {
    if (doc.y > doc.page.height - 80) doc.addPage();
    const rule = l.rule ? `${l.rule.method}${l.rule.driver ? ` by ${l.rule.driver}` : ""}, ${formatNumber(l.sharePercent ?? 0, 2)}%` : "—";
    row([l.agent.name, l.kind, rule, formatNumber(l.events), m(l.amount)]);
  }
  row(["Total", "", "", "", m(s.department.total)], true);
  doc.end();
  return done;
}
