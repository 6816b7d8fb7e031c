// The issuer's logo: a PNG or JPEG, checked by its signature and by opening it the way the PDF will.
import "server-only";
import PDFDocument from "pdfkit";
import { BadRequestError } from "@/lib/api/errors";
import { LOGO_MAX_BYTES } from "@/lib/admin/schemas";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const bad = (message: string) => new BadRequestError(`Invalid logo: ${message}`, [{ path: "logo", message }]);

/** A data URL (as the settings API takes it) → the image bytes and media type, or a 400 naming the problem. */
export function parseLogo(dataUrl: string): { bytes: Buffer; type: "image/png" | "image/jpeg" } {
  const match = /^data:(image\/(?:png|jpeg));base64,(.*)$/.exec(dataUrl);
  if (!match) throw bad("upload a PNG or JPEG image");
  const type = match[1] as "image/png" | "image/jpeg";
  const bytes = Buffer.from(match[2]!, "base64");
  if (bytes.length > LOGO_MAX_BYTES) throw bad(`at most ${LOGO_MAX_BYTES / 1024} KB`);
  const signature = type === "image/png" ? PNG : JPEG;
  if (!bytes.subarray(0, signature.length).equals(signature)) throw bad(`the file is not a ${type === "image/png" ? "PNG" : "JPEG"} image`);
  try {
    // The PDF embeds it with pdfkit: an image pdfkit cannot read would only fail later, on the first invoice.
    // openImage is pdfkit's public image loader, missing from its type definitions.
    const doc = new PDFDocument({ autoFirstPage: false }) as unknown as { openImage(src: Buffer): { width: number; height: number } };
    const image = doc.openImage(bytes);
    if (image.width < 1 || image.height < 1 || image.width > 4000 || image.height > 4000) throw new Error("size");
  } catch {
    throw bad("the image could not be read, or is larger than 4000 × 4000 pixels");
  }
  return { bytes, type };
}
