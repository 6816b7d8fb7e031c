// Showback statement files for one department and period: CSV (one row per line) and PDF (the same, printable).
import "server-only";
import PDFDocument from "pdfkit";
import { toCsv } from "@/lib/csv";
import { formatMoney, formatNumber } from "@/lib/format";
import type { StatementResponse } from "./schemas";

const CSV_COLUMNS = ["period", "department_code", "department_name", "agent_key", "agent_name", "kind", "rule_id", "method", "driver", "rule_effective_from", "share_percent", "events", "quantity", "amount", "currency"] as const;

export function statementCsv(s: StatementResponse): string {
  const rows = s.lines.map((l) => [
    s.period, s.department.code, s.department.name, l.agent.key, l.agent.name, l.kind,
    l.rule?.id ?? null, l.rule?.method ?? null, l.rule?.driver ?? null, l.rule?.effectiveFrom ?? null,
    l.sharePercent, l.events, l.quantity, l.amount, s.currency,
  ]);
  return toCsv(CSV_COLUMNS, rows);
}

export function statementPdf(s: StatementResponse): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 48, info: { Title: `Showback ${s.department.code} ${s.period}` } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const m = (v: string) => formatMoney(v, s.currency);
  doc.fontSize(18).text(`Showback statement — ${s.department.name} (${s.department.code})`);
  doc.moveDown(0.3).fontSize(10).fillColor("#555").text(`Period ${s.period} (${s.from} to ${s.to}) · internal chargeback, not an invoice`);
  doc.moveDown().fillColor("#000").fontSize(11);
  doc.text(`Direct cost: ${m(s.department.direct)}`);
  doc.text(`Allocated cost (shared agents): ${m(s.department.allocated)}`);
  doc.text(`Total: ${m(s.department.total)}`);
  if (s.department.budget) doc.text(`Monthly budget: ${m(s.department.budget)} (${formatNumber(s.department.budgetUsed ?? 0, 2)}% used)`);
  doc.text(`Forecast to month end: ${m(s.department.forecast)}`);
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
