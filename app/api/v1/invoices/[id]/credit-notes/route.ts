// GET, POST /api/v1/invoices/{id}/credit-notes — an invoice's credit notes; issue one against a finalized invoice
import { NextResponse } from "next/server";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";
import { getCreditNote, issueOrRequestApproval } from "@/lib/billing/credit-notes";
import { creditNoteRequest } from "@/lib/billing/credit-note-schemas";
import { getInvoice } from "@/lib/billing/queries";
import { idParams } from "@/lib/billing/schemas";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller, params }) => ({ creditNotes: (await getInvoice(caller, idParams.parse(params).id)).creditNotes }),
});

export const POST = withRoute({
  auth: "session",
  permission: "billing:write",
  body: creditNoteRequest,
  handler: async ({ params, body, caller }) => {
    const { id } = idParams.parse(params);
    const outcome = await issueOrRequestApproval(userCaller(caller), id, body);
    // At or above the four-eyes threshold: 202 with the approval request a second finance or admin user decides.
    if ("approvalId" in outcome) return NextResponse.json({ awaitingApproval: outcome.approvalId }, { status: 202 });
    return NextResponse.json(await getCreditNote(caller, outcome.noteId), { status: 201 });
  },
});
