// GET /api/v1/credit-notes/{id}/pdf — the credit note as a PDF document
import { withRoute } from "@/lib/api/route";
import { creditNotePdf } from "@/lib/billing/credit-note-pdf";
import { getCreditNote } from "@/lib/billing/credit-notes";
import { idParams } from "@/lib/billing/schemas";
import { orgSettings } from "@/lib/org";

export const dynamic = "force-dynamic";

export const GET = withRoute({
  auth: "either",
  permission: "read",
  handler: async ({ caller, params }) => {
    const note = await getCreditNote(caller, idParams.parse(params).id);
    const pdf = await creditNotePdf(note, (await orgSettings()).name);
    return new Response(new Uint8Array(pdf), {
      headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${note.number}.pdf"` },
    });
  },
});
