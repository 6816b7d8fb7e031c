// What a notification mail carries besides its text: a department's monthly statement, its showback PDF (the same
// file as GET /api/v1/allocation/{code}?format=pdf), made when the mail is sent.
import "server-only";
import { statementOf } from "@/lib/allocation/report";
import { statementPdf } from "@/lib/allocation/showback";
import type { Report } from "./digests";

export type Attachment = { filename: string; content: Buffer; contentType: string };

export async function reportAttachments(event: string, payload: unknown): Promise<Attachment[]> {
  const report = (payload as { report?: Report }).report;
  if (event !== "statement.monthly" || !report?.department) return [];
  const statement = await statementOf(report.department, report.from.slice(0, 7), null);
  return [{ filename: `showback-${report.department}-${statement.period}.pdf`, content: await statementPdf(statement), contentType: "application/pdf" }];
}
