// Request and response schemas of saved views (GET/POST /api/v1/views, PATCH/DELETE /api/v1/views/{id}).
import { z } from "zod";

/** Dashboard pages a view can point at; the query string alone then reproduces the view. */
export const VIEW_PATH = /^\/(usage|workload|roi|allocation|events|agents\/[^/?#\s]{1,400})?$/;

const name = z.string().trim().min(1, "must not be empty").max(100);
const path = z.string().regex(VIEW_PATH, "must be a dashboard page: /, /usage, /workload, /roi, /allocation, /events or /agents/<key> (URL-encoded)");
const query = z
  .string()
  .max(2000)
  .refine((q) => !q.startsWith("?") && !q.includes("#"), "the query string without '?' and without a '#' fragment")
  .transform((q) => new URLSearchParams(q).toString());

export const viewCreate = z.strictObject({ name, path, query: query.default(""), shared: z.boolean().default(false), isDefault: z.boolean().default(false) });
export type ViewCreate = z.output<typeof viewCreate>;

/** Owner-only fields, plus `isDefault`, which any user who can read the view sets for themselves. */
export const viewPatch = z
  .strictObject({ name: name.optional(), path: path.optional(), query: query.optional(), shared: z.boolean().optional(), isDefault: z.boolean().optional() })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: "give at least one of name, path, query, shared, isDefault" });
export type ViewPatch = z.output<typeof viewPatch>;

export const viewSchema = z.strictObject({
  id: z.number(),
  name: z.string(),
  path: z.string(),
  query: z.string(),
  shared: z.boolean(),
  owner: z.strictObject({ id: z.number(), name: z.string() }),
  mine: z.boolean().meta({ description: "The caller owns the view (and may edit or delete it)" }),
  isDefault: z.boolean().meta({ description: "The caller's landing view (opened at /)" }),
  href: z.string().meta({ description: "path?query: the link that reproduces the view" }),
  updatedAt: z.string(),
});
export type SavedViewDto = z.infer<typeof viewSchema>;

export const viewsQuery = z.strictObject({ path: path.optional().meta({ description: "Only views of this page" }) });
export const viewsResponse = z.strictObject({ views: z.array(viewSchema) });
export type ViewsResponse = z.infer<typeof viewsResponse>;
