// A catalog request's data: the installed package's, or an uploaded file's (400 naming what is wrong with it).
import "server-only";
import type { z } from "zod";
import { BadRequestError } from "@/lib/api/errors";
import { fileCatalog, packageCatalog, type LoadedCatalog } from "./catalog-store";
import type { catalogSource } from "./schemas";

export async function catalogFrom(body: z.output<typeof catalogSource>): Promise<LoadedCatalog> {
  if (body.source === "package") return packageCatalog();
  try {
    return fileCatalog(body.version, body.catalog);
  } catch (error) {
    if (error instanceof RangeError) throw new BadRequestError(error.message, [{ path: "catalog", message: error.message }]);
    throw error;
  }
}
