// DELETE /api/v1/customers/:id/links/:linkId — revoke a customer view link (it stops working at once; the row stays for the audit trail)
import { withRoute } from "@/lib/api/route";
import { revokeCustomerLink } from "@/lib/billing/customer-links";
import { linkParams } from "@/lib/billing/customer-link-schemas";

export const dynamic = "force-dynamic";

export const DELETE = withRoute({
  auth: "session",
  permission: "billing:write",
  handler: async ({ caller, params }) => {
    const { id, linkId } = linkParams.parse(params);
    return revokeCustomerLink(caller, id, linkId);
  },
});
