// GET /api/v1/allocation/{code}?period=YYYY-MM&format=json|csv|pdf&currency=XXX — a department's showback statement: agents, quantities, direct and allocated cost; optionally in a display currency
import { withRoute } from "@/lib/api/route";
import { departmentStatement } from "@/lib/allocation/report";
import { statementQuery } from "@/lib/allocation/schemas";
import { statementCsv, statementPdf } from "@/lib/allocation/showback";

export const dynamic = "force-dynamic";

export const GET = withRoute<{ period?: string; format: "json" | "csv" | "pdf"; currency?: string }, undefined, { code: string }>({
  auth: "either",
  permission: "read",
  replica: true,
  query: statementQuery,
  handler: async ({ caller, query, params }) => {
    const statement = await departmentStatement(caller, params.code, query.period, new Date(), query.currency);
    if (query.format === "json") return statement;
    const filename = `showback-${statement.department.code}-${statement.period}${statement.conversion ? `-${statement.currency}` : ""}.${query.format}`;
    const disposition = `attachment; filename="${filename}"`;
    if (query.format === "csv") {
      return new Response(statementCsv(statement), { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": disposition } });
    }
    return new Response(new Uint8Array(await statementPdf(statement)), { headers: { "content-type": "application/pdf", "content-disposition": disposition } });
  },
});
