// Months as periods ("YYYY-MM"), in the organization's time zone; the day arithmetic is lib/periods.ts.
import { z } from "zod";

export const monthString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");
