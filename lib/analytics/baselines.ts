// ROI assumptions: the human baseline of each task type (minutes per task, loaded hourly cost), editable by admin/finance.
import "server-only";
import { ConflictError, NotFoundError } from "@/lib/api/errors";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { db } from "@/lib/db";

export type BaselinePatch = { baselineMinutes?: string; loadedHourlyCost?: string };

/** Restores the baseline the task type was created with (audited); 409 when none was recorded. */
export async function resetBaseline(caller: Caller, key: string) {
  const t = await db.taskType.findUnique({ where: { key }, select: { defaultBaselineMinutes: true, defaultLoadedHourlyCost: true } });
  if (!t) throw new NotFoundError(`Task type '${key}' not found`);
  if (t.defaultBaselineMinutes === null || t.defaultLoadedHourlyCost === null) throw new ConflictError(`Task type '${key}' has no recorded default baseline`);
  return updateBaseline(caller, key, { baselineMinutes: t.defaultBaselineMinutes.toFixed(2), loadedHourlyCost: t.defaultLoadedHourlyCost.toFixed(2) }, "task_type.baseline_reset");
}

export async function updateBaseline(caller: Caller, key: string, patch: BaselinePatch, action = "task_type.baseline_update") {
  const updated = await db.$transaction(async (tx) => {
    const before = await tx.taskType.findUnique({ where: { key }, select: { baselineMinutes: true, loadedHourlyCost: true } });
    if (!before) throw new NotFoundError(`Task type '${key}' not found`);
    const after = await tx.taskType.update({ where: { key }, data: patch });
    await audit(tx, {
      actor: caller,
      action,
      entity: "task_type",
      entityId: key,
      before: { baselineMinutes: before.baselineMinutes.toFixed(2), loadedHourlyCost: before.loadedHourlyCost.toFixed(2) },
      after: { baselineMinutes: after.baselineMinutes.toFixed(2), loadedHourlyCost: after.loadedHourlyCost.toFixed(2) },
    });
    return after;
  });
  return {
    taskType: updated.key,
    name: updated.name,
    baselineMinutes: updated.baselineMinutes.toFixed(2),
    loadedHourlyCost: updated.loadedHourlyCost.toFixed(2),
    updatedAt: updated.updatedAt.toISOString(),
  };
}
