// Request and response schemas of ROI scenarios and what-ifs (the contract). No server-only: forms validate with them.
import { z } from "zod";
import { COLUMNS, decimalInput } from "@/lib/decimal-input";

/** One task type's baseline in a what-if; task types not listed keep the official baseline. */
export const scenarioBaseline = z.strictObject({
  taskType: z.string().min(1).max(100),
  baselineMinutes: decimalInput(COLUMNS.minutes, { max: 100_000 }),
  loadedHourlyCost: decimalInput(COLUMNS.hourlyCost),
});
export const scenarioBaselines = z.array(scenarioBaseline).max(500).refine((bs) => new Set(bs.map((b) => b.taskType)).size === bs.length, { message: "lists a task type more than once" });

export const whatIfBody = z.strictObject({ baselines: scenarioBaselines });

export const scenarioCreate = z.strictObject({ name: z.string().trim().min(1).max(100), baselines: scenarioBaselines });
export const scenarioUpdate = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  baselines: scenarioBaselines.optional(),
  /** true: create (or keep) a read-only link; false: remove it, making the scenario private again. */
  shared: z.boolean().optional(),
});

export const scenarioView = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  owner: z.strictObject({ name: z.string(), email: z.string() }),
  /** True for the caller's own scenario; a shared one opened by link is read-only. */
  mine: z.boolean(),
  baselines: z.array(z.strictObject({ taskType: z.string(), baselineMinutes: z.string(), loadedHourlyCost: z.string() })),
  /** Path of the read-only link while shared; null when private. */
  sharePath: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const scenarioListResponse = z.strictObject({ scenarios: z.array(scenarioView) });

export type ScenarioView = z.infer<typeof scenarioView>;
export type ScenarioBaseline = z.output<typeof scenarioBaseline>;
