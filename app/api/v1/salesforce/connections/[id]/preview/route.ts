// POST /api/v1/salesforce/connections/:id/preview — what each Agentforce preset resolves to in the org, with sample rows (admin)
import { withRoute } from "@/lib/api/route";
import { connectorId } from "@/lib/connectors/params";
import { PresetPreviewRequestSchema } from "@/lib/connectors/salesforce/schemas";
import { previewConnection } from "@/lib/connectors/salesforce/service";

export const POST = withRoute<undefined, typeof PresetPreviewRequestSchema._output, { id: string }>({
  auth: "session",
  permission: "admin",
  body: PresetPreviewRequestSchema,
  handler: async ({ params, body }) => previewConnection(connectorId(params.id), body.presets),
});
