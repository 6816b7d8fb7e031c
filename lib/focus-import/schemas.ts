// /api/v1/settings/focus-import and /api/v1/imports/focus-preview contract.
import { z } from "zod";
import { FocusSettingsSchema } from "./settings-schema";

export const FocusPreviewRequestSchema = z.strictObject({
  csv: z.string().min(1).max(512 * 1024).meta({ description: "The head of the FOCUS CSV file (header line first); a cut-off last line is ignored." }),
  settings: FocusSettingsSchema.optional().meta({ description: "Settings to try; default: the saved ones." }),
});
export type FocusPreviewRequest = z.infer<typeof FocusPreviewRequestSchema>;

export const FocusPreviewSchema = z
  .strictObject({
    rows: z.array(
      z.strictObject({
        row: z.number().int(),
        status: z.enum(["import", "skipped", "error"]),
        error: z.string().optional(),
        service: z.string().nullable().optional(),
        provider: z.string().nullable().optional(),
        chargeCategory: z.string().optional(),
        agent: z.string().optional(),
        department: z.string().nullable().optional(),
        departmentKnown: z.boolean().nullable().optional().meta({ description: "false: no department has this code; the events stay without a department." }),
        customer: z.string().nullable().optional(),
        cost: z.string().optional().meta({ description: "The chosen cost column, in BillingCurrency (negative for credits and refunds)." }),
        currency: z.string().optional(),
        events: z.number().int().optional().meta({ description: "Events the row becomes: one per day of the organization's time zone its charge period covers." }),
      }),
    ),
  })
  .meta({ id: "FocusImportPreview" });
export type FocusPreview = z.infer<typeof FocusPreviewSchema>;
