// What an invoice document says besides its lines: issue and due dates, the service period in words, the parties.
// Pure (no I/O): the PDF, the API and the tests share it.
import { addDaysTo, dayIn, monthRange } from "@/lib/periods";

export type BillTo = { name: string; address: string | null; taxId: string | null; email: string | null; poNumber: string | null };

export type Issuer = {
  name: string;
  address: string | null;
  taxId: string | null;
  paymentInstructions: string | null;
  paymentTermsDays: number;
  /** PNG or JPEG bytes (validated on upload). */
  logo: Buffer | null;
};

/** The customer's billing details; the legal name falls back to the display name, never to the internal key. */
export function billTo(c: { name: string; legalName: string | null; billingAddress: string | null; taxId: string | null; billingEmail: string | null; poNumber: string | null }): BillTo {
  return { name: c.legalName || c.name, address: c.billingAddress, taxId: c.taxId, email: c.billingEmail, poNumber: c.poNumber };
}

/** The calendar date (YYYY-MM-DD) of an instant in the organization's time zone. */
export function issueDate(at: Date, timeZone: string): string {
  return dayIn(timeZone, at);
}

/** Net N: the due date is N calendar days after the issue date. */
export function dueDate(issued: string, termsDays: number): string {
  return addDaysTo(issued, termsDays);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "2026-10-31" → "31 October 2026". */
export function dateInWords(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** A billing month in plain words, both ends included: "2026-10" → "1–31 October 2026". */
export function periodInWords(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  return `1–${Number(monthRange(period).to.slice(8))} ${MONTHS[month - 1]} ${year}`;
}

export const termsText = (days: number) => (days === 0 ? "Due on receipt" : `Net ${days} days`);
