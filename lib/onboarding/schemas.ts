// Request and response schemas of the first-run API: department CSV import and the latest received event.
import { z } from "zod";
import { departmentCode, departmentResponse } from "@/lib/allocation/schemas";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";

/** Most departments an import may create at once (a cost-center tree, not a data load). */
export const MAX_IMPORT_DEPARTMENTS = 1000;

/** The CSV columns, after normalising the header (lower case, spaces and dashes as underscores). */
export const departmentCsvColumns = ["code", "name", "parent", "monthly_budget"] as const;

/** One CSV row; empty cells mean "none". */
export const departmentCsvRow = z
  .object({
    code: departmentCode,
    name: z.string().trim().min(1, "is required").max(100),
    parent: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), departmentCode.nullable()),
    monthly_budget: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), decimalInput(COLUMNS.money).nullable()),
  })
  .strict();

export const departmentImportResponse = z.object({ created: z.array(departmentResponse) }).strict();

export const latestEvent = z
  .object({
    /** Increases with every stored event: compare two answers to see whether something new arrived. */
    id: z.string(),
    receivedAt: z.string(),
    timestamp: z.string(),
    type: z.string(),
    agent: z.object({ key: z.string(), name: z.string() }).strict(),
    cost: z.string().meta({ description: "Decimal string in the organization's currency" }),
    currency: z.string(),
  })
  .strict();

export const latestEventResponse = z.object({ latest: latestEvent.nullable() }).strict();
export type LatestEventResponse = z.infer<typeof latestEventResponse>;
