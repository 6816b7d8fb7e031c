// POST /api/v1/departments/import — create departments from a CSV file (code,name,parent,monthly_budget), all or none (admin)
import { withRoute } from "@/lib/api/route";
import { BadRequestError, UnsupportedMediaTypeError } from "@/lib/api/errors";
import { readBytes } from "@/lib/formats/body";
import { importDepartments } from "@/lib/onboarding/departments-import";

export const dynamic = "force-dynamic";

export const POST = withRoute({
  auth: "session",
  permission: "admin",
  handler: async ({ req, caller }) => {
    const contentType = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
    if (contentType !== "text/csv") throw new UnsupportedMediaTypeError("Send the file as Content-Type: text/csv");
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await readBytes(req));
    } catch (error) {
      if (error instanceof TypeError) throw new BadRequestError("The file is not valid UTF-8");
      throw error;
    }
    return Response.json({ created: await importDepartments(caller, text) }, { status: 201 });
  },
});
