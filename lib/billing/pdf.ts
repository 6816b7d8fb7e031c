// The invoice document as a PDF, with pdfkit and its built-in standard fonts (no font files fetched or bundled).
// Layout: logo and title; issuer and customer; number, dates and service period; lines with their tier bands;
// totals (Subtotal, Adjustments, Tax, Total due, and Credited / Balance due when given); notes; payment instructions.
import "server-only";
import PDFDocument from "pdfkit";
import { formatMoney, formatNumber } from "@/lib/format";
import { dateInWords, periodInWords, termsText, type Issuer } from "./document";
import { fxNote } from "./fx-note";
import { dec, minorDigits, sum } from "./money";
import type { InvoiceDetail, InvoiceLineDto } from "./schemas";

export type PdfOptions = {
  /** Credit notes against the invoice (added by credit notes): both rows print only when given. */
  credited?: string | null;
  balanceDue?: string | null;
  /** The PDF's creation date (fixed in tests so the file is reproducible); default now. */
  creationDate?: Date;
};

const INK = "#111827";
const MUTED = "#6b7280";
const ACCENT = "#1e3a5f";
const RULE = "#d1d5db";
const FILL = "#f3f4f6";
const LEFT = 50;
const RIGHT = 545;
const BOTTOM = 770;
const COLUMNS = [
  { label: "Description", x: LEFT + 6, width: 245, align: "left" },
  { label: "Quantity", x: 300, width: 85, align: "right" },
  { label: "Unit price", x: 385, width: 80, align: "right" },
  { label: "Amount", x: 465, width: 74, align: "right" },
] as const;

const KIND_LABELS: Partial<Record<InvoiceLineDto["kind"], string>> = {
  minimum: "True-up to minimum commitment",
  commitment: "Commitment drawdown",
  adjustment: "Adjustment",
  late_adjustment: "Late usage",
};

export function invoicePdf(invoice: InvoiceDetail, issuer: Issuer, options: PdfOptions = {}): Promise<Buffer> {
  const created = options.creationDate ?? new Date();
  const title = invoice.number ? `Invoice ${invoice.number}` : `Draft invoice ${invoice.id}`;
  const doc = new PDFDocument({ size: "A4", margin: LEFT, bufferPages: true, info: { Title: title, Author: issuer.name, CreationDate: created, ModDate: created } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const currency = invoice.currency;
  const digits = minorDigits(currency);
  const money = (amount: string) => formatMoney(amount, currency, digits, digits);
  const price = (amount: string) => formatMoney(amount, currency, Math.max(digits, 6), digits);
  const text = (value: string, x: number, y: number, o: PDFKit.Mixins.TextOptions & { size?: number; bold?: boolean; color?: string } = {}) => {
    const { size = 9, bold = false, color = INK, ...rest } = o;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(size).fillColor(color).text(value, x, y, { lineBreak: true, ...rest });
    return doc.y;
  };

  // A watermark behind the content of every page of anything that is not an issued invoice.
  const watermark = () => {
    if (invoice.status === "finalized") return;
    doc.save().rotate(-30, { origin: [297, 420] });
    text(invoice.status === "void" ? "VOID" : "DRAFT", 97, 380, { size: 96, bold: true, color: "#eef0f3", width: 400, align: "center", lineBreak: false });
    doc.restore();
  };
  watermark();
  doc.on("pageAdded", watermark);

  // Header: logo (or the issuer's name) and the title with the status.
  if (issuer.logo) doc.image(issuer.logo, LEFT, 45, { fit: [160, 56] });
  else text(issuer.name, LEFT, 55, { size: 16, bold: true, color: ACCENT, width: 260 });
  const heading = invoice.status === "draft" ? "DRAFT INVOICE" : invoice.status === "void" ? "VOID INVOICE" : "INVOICE";
  text(heading, 300, 50, { size: 22, bold: true, color: ACCENT, width: RIGHT - 300, align: "right", characterSpacing: 1 });
  text(invoice.number ?? "Not numbered until finalized", 300, 78, { size: 10, color: MUTED, width: RIGHT - 300, align: "right" });

  // Parties.
  const party = (label: string, x: number, width: number, lines: (string | null)[]) => {
    let y = text(label.toUpperCase(), x, 125, { size: 8, bold: true, color: MUTED, characterSpacing: 0.5 });
    y = text(lines[0] ?? "", x, y + 3, { size: 10, bold: true, width });
    for (const l of lines.slice(1)) if (l) y = text(l, x, y + 1, { width });
    return y;
  };
  const to = invoice.billTo;
  const fromEnd = party("From", LEFT, 230, [issuer.name, issuer.address, issuer.taxId ? `Tax ID: ${issuer.taxId}` : null]);
  const toEnd = party("Bill to", 300, RIGHT - 300, to ? [to.name, to.address, to.taxId ? `Tax ID: ${to.taxId}` : null, to.email] : ["—"]);

  // Key facts in one band.
  const issued = invoice.issueDate ? dateInWords(invoice.issueDate) : "Draft";
  const due = invoice.dueDate ? dateInWords(invoice.dueDate) : `${invoice.paymentTermsDays} days after issue`;
  const facts: [string, string][] = [
    ["Issue date", issued],
    ["Due date", due],
    ["Service period", periodInWords(invoice.period)],
    ["Payment terms", termsText(invoice.paymentTermsDays)],
    ...(to?.poNumber ? ([["PO number", to.poNumber]] as [string, string][]) : []),
  ];
  let y = Math.max(fromEnd, toEnd) + 18;
  const cell = (RIGHT - LEFT) / facts.length;
  doc.rect(LEFT, y, RIGHT - LEFT, 38).fill(FILL);
  facts.forEach(([label, value], i) => {
    text(label.toUpperCase(), LEFT + 8 + i * cell, y + 7, { size: 7, bold: true, color: MUTED, width: cell - 12, characterSpacing: 0.4 });
    text(value, LEFT + 8 + i * cell, y + 19, { size: 9, bold: true, width: cell - 12 });
  });
  y += 54;

  // Lines.
  const tableHeader = () => {
    doc.rect(LEFT, y, RIGHT - LEFT, 20).fill(ACCENT);
    for (const c of COLUMNS) text(c.label, c.x, y + 6, { size: 8, bold: true, color: "#ffffff", width: c.width, align: c.align });
    y += 26;
  };
  const room = (needed: number) => {
    if (y + needed <= BOTTOM) return;
    doc.addPage();
    y = LEFT;
    tableHeader();
  };
  const row = (cells: [string, string, string, string], o: { sub?: boolean; label?: string } = {}) => {
    const size = o.sub ? 8 : 9;
    const color = o.sub ? MUTED : INK;
    const indent = o.sub ? 12 : 0;
    doc.font("Helvetica").fontSize(size);
    const height = doc.heightOfString(cells[0], { width: COLUMNS[0].width - indent }) + (o.label ? 10 : 0);
    room(height + 6);
    let top = y;
    if (o.label) {
      text(o.label.toUpperCase(), COLUMNS[0].x, top, { size: 6.5, bold: true, color: ACCENT, characterSpacing: 0.5 });
      top += 10;
    }
    text(cells[0], COLUMNS[0].x + indent, top, { size, color, width: COLUMNS[0].width - indent });
    COLUMNS.slice(1).forEach((c, i) => text(cells[i + 1]!, c.x, top, { size, color, width: c.width, align: c.align }));
    y += height + (o.sub ? 3 : 5);
  };
  const rule = () => {
    doc.moveTo(LEFT, y - 2).lineTo(RIGHT, y - 2).lineWidth(0.5).strokeColor(RULE).stroke();
    y += 4;
  };
  tableHeader();
  const lines = invoice.lines.filter((l) => l.kind !== "tax");
  for (const line of lines) {
    const [qty, unit] = quantityAndUnitPrice(line, price);
    const description = line.reason && line.kind !== "usage" ? `${line.description} — ${line.reason}` : line.description;
    row([description, qty, unit, money(line.amount)], { label: KIND_LABELS[line.kind] });
    for (const band of bands(line, price)) row(band, { sub: true });
    if (line.kind === "commitment") {
      // What the commitment did not cover is the overage billed on this invoice.
      const usage = sum(lines.filter((l) => l.kind === "usage" || l.kind === "minimum").map((l) => dec(l.amount)));
      const overage = usage.plus(dec(line.amount));
      row([`Overage beyond the commitment (usage ${money(usage.toFixed(digits))} less drawdown)`, "", "", money((overage.isNeg() ? dec(0) : overage).toFixed(digits))], { sub: true });
    }
    rule();
  }

  // Totals.
  const taxLines = invoice.lines.filter((l) => l.kind === "tax");
  const hasAdjustments = lines.some((l) => l.kind === "adjustment" || l.kind === "late_adjustment");
  const totals: { label: string; value: string; strong?: boolean; sub?: boolean }[] = [
    { label: "Subtotal", value: money(invoice.subtotal) },
    ...(hasAdjustments ? [{ label: "Adjustments", value: money(invoice.adjustmentsTotal) }] : []),
    { label: "Tax", value: money(invoice.taxTotal) },
    ...taxLines.map((t) => ({ label: `${t.description} on ${money(t.quantity)}`, value: money(t.amount), sub: true })),
    { label: `Total due (${currency})`, value: money(invoice.total), strong: true },
    ...(options.credited != null ? [{ label: "Credited", value: money(dec(options.credited).neg().toFixed(digits)) }] : []),
    ...(options.balanceDue != null ? [{ label: `Balance due (${currency})`, value: money(options.balanceDue), strong: true }] : []),
  ];
  room(totals.length * 18 + 20);
  y += 6;
  for (const t of totals) {
    if (t.strong) {
      doc.rect(300, y - 4, RIGHT - 300, 20).fill(FILL);
    }
    text(t.label, 300, y + (t.strong ? 1 : 0), { size: t.sub ? 8 : 9.5, bold: t.strong, color: t.sub ? MUTED : INK, width: 160, align: "right" });
    text(t.value, 465, y + (t.strong ? 1 : 0), { size: t.sub ? 8 : 9.5, bold: t.strong, color: t.sub ? MUTED : INK, width: 74, align: "right" });
    y += t.sub ? 13 : 18;
  }

  // Notes: the tax treatment's legal wording, tax-inclusive prices, FX, void.
  const notes = [
    ...new Set(taxLines.flatMap((t) => (t.reason ? [t.reason] : []))),
    ...(lines.some((l) => l.grossAmount !== null) ? ["Prices include tax: line amounts are shown net of the tax they contained."] : []),
    ...(invoice.fx ? [fxNote(invoice.fx)] : []),
    ...(invoice.status === "void" ? [`This invoice is void: ${invoice.voidReason ?? ""}`] : []),
  ];
  y += 10;
  for (const note of notes) {
    room(30);
    y = text(note, LEFT, y, { size: 8, color: MUTED, width: RIGHT - LEFT }) + 4;
  }

  // Payment.
  if (issuer.paymentInstructions || invoice.status === "finalized") {
    const body = [
      invoice.status === "finalized" && invoice.dueDate ? `Please pay ${money(options.balanceDue ?? invoice.total)} by ${dateInWords(invoice.dueDate)}, quoting ${invoice.number}.` : null,
      issuer.paymentInstructions,
    ]
      .filter(Boolean)
      .join("\n");
    doc.font("Helvetica").fontSize(9);
    const height = doc.heightOfString(body, { width: RIGHT - LEFT - 20 }) + 30;
    room(height + 10);
    y += 8;
    doc.rect(LEFT, y, RIGHT - LEFT, height).lineWidth(0.75).strokeColor(RULE).stroke();
    text("PAYMENT", LEFT + 10, y + 8, { size: 8, bold: true, color: ACCENT, characterSpacing: 0.5 });
    text(body, LEFT + 10, y + 20, { size: 9, width: RIGHT - LEFT - 20 });
  }

  // Footer on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: without this pdfkit would start a new page for the footer.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const footer = [issuer.name, issuer.taxId ? `Tax ID ${issuer.taxId}` : null, `${title} · page ${i - range.start + 1} of ${range.count}`].filter(Boolean).join("  ·  ");
    text(footer, LEFT, 805, { size: 7, color: MUTED, width: RIGHT - LEFT, align: "center", lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}

/** Every line shows a quantity and a unit price: tiered and package lines their average, markup the factor. */
function quantityAndUnitPrice(line: InvoiceLineDto, price: (a: string) => string): [string, string] {
  const q = dec(line.quantity);
  if (line.kind === "usage") {
    const quantity = formatNumber(line.quantity, 6);
    if (line.usageRef?.model === "markup" && line.unitPrice) return [quantity, `cost × ${formatNumber(line.unitPrice, 4)}`];
    if (line.unitPrice) return [quantity, price(line.unitPrice)];
    if (q.gt(0)) return [quantity, `avg ${price(dec(line.amount).div(q).toSignificantDigits(6).toFixed())}`];
    const first = line.tiers?.[0];
    return [quantity, first ? price(first.unitPrice) : price("0")];
  }
  if (line.kind === "commitment" && q.gt(0) && line.usageRef?.kind === "credits") {
    return [`${formatNumber(line.quantity, 6)} credits`, price(dec(line.amount).div(q).toSignificantDigits(6).toFixed())];
  }
  const amount = line.grossAmount ?? line.amount;
  return ["1", price(dec(amount).toFixed())];
}

/** Tier bands (and included free units) as sub-rows under their line. */
function bands(line: InvoiceLineDto, price: (a: string) => string): [string, string, string, string][] {
  const out: [string, string, string, string][] = [];
  const free = line.usageRef?.freeUnits;
  if (typeof free === "string") out.push([`Included at no charge`, formatNumber(free, 6), price("0"), price("0")]);
  for (const t of line.tiers ?? []) {
    const from = formatNumber(dec(t.from).plus(1).toFixed(), 6);
    const span = t.upTo === null ? `${from} and above` : `${from}–${formatNumber(t.upTo, 6)}`;
    const fee = dec(t.flatFee).isZero() ? "" : ` + flat fee ${price(t.flatFee)}`;
    const label = line.usageRef?.model === "volume" ? `All units at the price of band ${span}${fee}` : `Units ${span}${fee}`;
    out.push([label, formatNumber(t.quantity, 6), price(t.unitPrice), price(t.amount)]);
  }
  return out;
}
