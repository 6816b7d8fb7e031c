// Request and response schemas of the admin jobs API (the contract).
import { z } from "zod";

export const jobState = z.enum(["created", "retry", "active", "completed", "cancelled", "failed"]);

export const jobListQuery = z
  .object({
    state: jobState.optional(),
    name: z.string().regex(/^[a-z0-9_.-]{1,100}$/, "a job name: lower-case letters, digits, dots, dashes").optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const jobView = z
  .object({
    id: z.string(),
    name: z.string(),
    state: jobState,
    attempts: z.number().int(),
    retryLimit: z.number().int(),
    createdAt: z.string(),
    startAfter: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .strict();

export const jobListResponse = z
  .object({ items: z.array(jobView), counts: z.record(jobState, z.number().int()) })
  .strict();

export const jobIdPath = z.object({ id: z.uuid() });
