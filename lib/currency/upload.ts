// Reads an FX rate file from a request: the raw body (text/csv, application/xml, …) or the `file` field of a
// multipart/form-data upload (a browser form). Capped, UTF-8 only.
import "server-only";
import { readBodyCapped } from "@/lib/api/body";
import { BadRequestError, UnsupportedMediaTypeError } from "@/lib/api/errors";

/** The ECB's full history as XML is ~10 MB; nothing an FX file needs is larger. */
export const FX_FILE_MAX_BYTES = 32 * 1024 * 1024;
const RAW_TYPES = new Set(["text/csv", "text/plain", "application/xml", "text/xml", "application/octet-stream"]);

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequestError("The file is not valid UTF-8");
  }
}

export async function readFxFile(req: Request): Promise<string> {
  const type = req.headers.get("content-type") ?? "";
  const media = type.split(";")[0]!.trim().toLowerCase();
  if (media !== "multipart/form-data" && !RAW_TYPES.has(media)) {
    throw new UnsupportedMediaTypeError("Send the file as the body (text/csv or application/xml) or as the 'file' field of multipart/form-data");
  }
  const bytes = await readBodyCapped(req, FX_FILE_MAX_BYTES, "the FX file limit");
  if (media !== "multipart/form-data") return utf8(bytes);
  let file: FormDataEntryValue | null;
  try {
    file = (await new Response(new Uint8Array(bytes), { headers: { "content-type": type } }).formData()).get("file");
  } catch {
    throw new BadRequestError("The multipart body could not be read");
  }
  if (!file || typeof file === "string") throw new BadRequestError("Invalid request body", [{ path: "file", message: "a file field named 'file' is required" }]);
  return utf8(new Uint8Array(await file.arrayBuffer()));
}
