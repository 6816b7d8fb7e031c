// POST /api/v1/invoices/bulk-send — email each selected finalized invoice with its PDF to its customer's billing email
import type { z } from "zod";
import { withRoute } from "@/lib/api/route";
import { userCaller } from "@/lib/auth/caller";
import { bulkSendRequest } from "@/lib/billing/schemas";
import { sendInvoices } from "@/lib/billing/send";

export const dynamic = "force-dynamic";

export const POST = withRoute<undefined, z.output<typeof bulkSendRequest>>({
  auth: "session",
  permission: "billing:write",
  body: bulkSendRequest,
  handler: async ({ caller, body }) => sendInvoices(userCaller(caller), body.ids),
});
