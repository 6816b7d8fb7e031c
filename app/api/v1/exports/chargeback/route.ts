// GET /api/v1/exports/chargeback?period=YYYY-MM&format=csv|xlsx|pdf|journal&currency=XXX — the month's whole chargeback as one file (finance, admin; department-scoped); csv, xlsx and pdf optionally in a display currency
import { withRoute } from "@/lib/api/route";
import { chargebackCsv, chargebackJournal, chargebackPdf, chargebackRows, chargebackXlsx } from "@/lib/allocation/chargeback";
import { chargebackExportQuery } from "@/lib/allocation/schemas";
import { BadRequestError } from "@/lib/api/errors";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

const TYPES = {
  csv: "text/csv; charset=utf-8",
  journal: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
} as const;

export const GET = withRoute({
  auth: "session",
  permission: "budgets:write",
  query: chargebackExportQuery,
  handler: async ({ caller, query }) => {
    const org = await orgSettings();
    if (query.format === "journal" && query.currency && query.currency !== org.currency) {
      throw new BadRequestError("currency: journal entries are in the organization currency", [{ path: "currency", message: `journal entries are booked in ${org.currency} only` }]);
    }
    const c = await chargebackRows(caller, query.period, query.currency);
    const body =
      query.format === "csv" ? chargebackCsv(c)
      : query.format === "journal" ? (await chargebackJournal(c)).csv
      : query.format === "xlsx" ? new Uint8Array(await chargebackXlsx(c))
      : new Uint8Array(await chargebackPdf(c, org.name));
    const name = query.format === "journal" ? `journal-${query.period}.csv` : `chargeback-${query.period}${c.report.conversion ? `-${c.report.currency}` : ""}.${query.format}`;
    return new Response(body, { headers: { "content-type": TYPES[query.format], "content-disposition": `attachment; filename="${name}"` } });
  },
});
