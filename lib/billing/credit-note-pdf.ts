// Credit note PDF with pdfkit and its built-in standard fonts, in the invoice PDF's plain style.
import "server-only";
import PDFDocument from "pdfkit";
import { formatMoney, formatNumber } from "@/lib/format";
import type { CreditNoteDetail } from "./credit-note-schemas";
import { minorDigits } from "./money";

const COLUMNS = [
  { label: "Description", x: 50, width: 320, align: "left" },
  { label: "Quantity", x: 370, width: 95, align: "right" },
  { label: "Amount credited", x: 465, width: 80, align: "right" },
] as const;

export function creditNotePdf(note: CreditNoteDetail, seller: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: `Credit note ${note.number}`, Author: seller } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const digits = minorDigits(note.currency);
  const money = (amount: string) => formatMoney(amount, note.currency, digits, digits);

  doc.font("Helvetica-Bold").fontSize(18).text(seller);
  doc.moveDown(0.5).fontSize(14).text(`Credit note ${note.number}`);
  doc.font("Helvetica").fontSize(10).moveDown(0.5);
  doc.text(`Credit to: ${note.customer?.name ?? "—"}`);
  doc.text(`Credits invoice ${note.invoice.number ?? note.invoice.id} (period ${note.invoice.period})`);
  doc.text(`Issued: ${note.issuedAt.slice(0, 10)}`);
  doc.text(`Reason: ${note.reason}`);
  doc.moveDown();

  let y = doc.y;
  doc.font("Helvetica-Bold");
  for (const c of COLUMNS) doc.text(c.label, c.x, y, { width: c.width, align: c.align });
  doc.font("Helvetica");
  y = doc.y + 4;
  for (const line of note.lines) {
    if (y > 740) {
      doc.addPage();
      y = 50;
    }
    const cells = [line.description, line.quantity === null ? "" : formatNumber(line.quantity, 6), money(line.amount)];
    const height = doc.heightOfString(line.description, { width: COLUMNS[0].width });
    COLUMNS.forEach((c, i) => doc.text(cells[i] ?? "", c.x, y, { width: c.width, align: c.align }));
    y += Math.max(height, 12) + 4;
  }
  doc.font("Helvetica-Bold");
  doc.text(`Total credited (${note.currency})`, 250, y + 8, { width: 215, align: "right" });
  doc.text(money(note.total), 465, y + 8, { width: 80, align: "right" });
  doc.end();
  return done;
}
