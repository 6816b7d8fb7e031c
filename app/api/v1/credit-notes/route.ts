// GET /api/v1/credit-notes — credit notes filtered by month issued, customer key and invoice
import { withRoute } from "@/lib/api/route";
import { listCreditNotes } from "@/lib/billing/credit-notes";
import { creditNoteListQuery } from "@/lib/billing/credit-note-schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  query: creditNoteListQuery,
  handler: async ({ caller, query }) => ({ creditNotes: await listCreditNotes(caller, query) }),
});
