// POST /api/v1/imports/focus-preview — the first rows of a FOCUS file as the import would map them (writes nothing)
import { withRoute } from "@/lib/api/route";
import { FocusPreviewRequestSchema } from "@/lib/focus-import/schemas";
import { previewFocus } from "@/lib/focus-import/settings";

export const POST = withRoute({ auth: "session", permission: "admin", body: FocusPreviewRequestSchema, handler: async ({ body }) => previewFocus(body) });
