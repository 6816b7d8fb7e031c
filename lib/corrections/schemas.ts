// Request and response of POST /api/v1/events/{source}/{id}/corrections.
import { z } from "zod";
import { CostSchema, TaskSchema, TokensSchema, PropertiesSchema } from "@/lib/ingest/schemas";

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `at most ${max} characters`);

/** The corrected event's fields; anything left out keeps the original's value (`id` and `source` never change). */
export const CorrectedFieldsSchema = z
  .strictObject({
    timestamp: z.string().optional(),
    agent: z.string().optional(),
    type: z.string().optional(),
    quantity: z.union([z.string(), z.number()]).optional(),
    department: z.string().nullable().optional(),
    customer: z.string().nullable().optional(),
    cost: CostSchema.nullable().optional(),
    model: z.string().nullable().optional(),
    tokens: TokensSchema.nullable().optional(),
    task: TaskSchema.nullable().optional(),
    properties: PropertiesSchema.optional(),
  })
  .meta({ id: "CorrectedFields", description: "Fields of the corrected event; null removes an optional field. Validated like an ingested event." });

export const CorrectionRequestSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("reversal"), reason: text(500), idempotency_key: text(128) }),
    z.strictObject({ kind: z.literal("correction"), reason: text(500), idempotency_key: text(128), event: CorrectedFieldsSchema }),
  ])
  .meta({ id: "CorrectionRequest" });
export type CorrectionRequest = z.infer<typeof CorrectionRequestSchema>;

const eventRef = z.strictObject({ id: z.string().meta({ description: "The event's key (its `id` as sent)." }), eventId: z.string() });

export const CorrectionResponseSchema = z
  .strictObject({
    id: z.number().int(),
    kind: z.enum(["reversal", "correction"]),
    reason: z.string(),
    source: z.string(),
    original: eventRef,
    reversal: eventRef,
    corrected: eventRef.nullable(),
    /** True when the original lies in a finalized invoice period: the next draft carries the difference. */
    inFinalizedPeriod: z.boolean(),
    replayed: z.boolean().meta({ description: "True when this idempotency key was already applied; nothing changed." }),
    createdAt: z.string(),
  })
  .meta({ id: "CorrectionResponse" });
export type CorrectionResponse = z.infer<typeof CorrectionResponseSchema>;
