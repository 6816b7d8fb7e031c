// Invoice PDF with pdfkit and its built-in standard fonts (no font files fetched or bundled).
import "server-only";
import PDFDocument from "pdfkit";
import { formatMoney, formatNumber } from "@/lib/format";
import { fxNote } from "./fx-note";
import { minorDigits } from "./money";
import type { InvoiceDetail } from "./schemas";

const COLUMNS = [
  { label: "Description", x: 50, width: 250, align: "left" },
  { label: "Quantity", x: 300, width: 90, align: "right" },
  { label: "Unit price", x: 390, width: 75, align: "right" },
  { label: "Amount", x: 465, width: 80, align: "right" },
] as const;

export function invoicePdf(invoice: InvoiceDetail, seller: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: `Invoice ${invoice.number ?? `draft ${invoice.id}`}`, Author: seller } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const digits = minorDigits(invoice.currency);
  const money = (amount: string) => formatMoney(amount, invoice.currency, digits, digits);

  doc.font("Helvetica-Bold").fontSize(18).text(seller);
  doc.moveDown(0.5).fontSize(14).text(invoice.status === "finalized" ? `Invoice ${invoice.number}` : `Invoice (${invoice.status.toUpperCase()}, not a final invoice)`);
  doc.font("Helvetica").fontSize(10).moveDown(0.5);
  doc.text(`Bill to: ${invoice.customer?.name ?? "—"}${invoice.customer ? ` (${invoice.customer.key})` : ""}`);
  doc.text(`Period: ${invoice.period} (${invoice.periodStart.slice(0, 10)} to ${invoice.periodEnd.slice(0, 10)}, end exclusive)`);
  if (invoice.finalizedAt) doc.text(`Issued: ${invoice.finalizedAt.slice(0, 10)}`);
  if (invoice.status === "void") doc.text(`VOID: ${invoice.voidReason ?? ""}`);
  doc.moveDown();

  let y = doc.y;
  doc.font("Helvetica-Bold");
  for (const c of COLUMNS) doc.text(c.label, c.x, y, { width: c.width, align: c.align });
  doc.font("Helvetica");
  y = doc.y + 4;
  for (const line of invoice.lines) {
    if (y > 740) {
      doc.addPage();
      y = 50;
    }
    const description = line.reason ? `${line.description} — ${line.reason}` : line.description;
    const cells = [
      description,
      line.kind === "usage" ? `${formatNumber(line.quantity, 6)} ${line.meter?.unit ?? ""}` : "",
      line.unitPrice ? formatMoney(line.unitPrice, invoice.currency, 8) : "",
      money(line.amount),
    ];
    const height = doc.heightOfString(description, { width: COLUMNS[0].width });
    COLUMNS.forEach((c, i) => doc.text(cells[i] ?? "", c.x, y, { width: c.width, align: c.align }));
    y += Math.max(height, 12) + 4;
  }
  y += 8;
  const totals: [string, string][] = [
    ["Subtotal", money(invoice.subtotal)],
    ["Adjustments", money(invoice.adjustmentsTotal)],
    [`Total (${invoice.currency})`, money(invoice.total)],
  ];
  totals.forEach(([label, value], i) => {
    doc.font(i === totals.length - 1 ? "Helvetica-Bold" : "Helvetica");
    doc.text(label, 300, y, { width: 165, align: "right" });
    doc.text(value, 465, y, { width: 80, align: "right" });
    y += 16;
  });
  if (invoice.fx) {
    // The rates that valued usage held in other currencies (rule: lib/billing/README.md).
    doc.font("Helvetica").fontSize(9).text(fxNote(invoice.fx), 50, y + 8, { width: 495 });
  }
  doc.end();
  return done;
}

