// Organization settings. A time-zone change re-buckets every rollup, because days and months follow it.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { evaluateAndNotify } from "@/lib/alerts/schedule";
import { db, pool } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { forgetOrgSettings } from "@/lib/org";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { assertNothingRemoved } from "@/lib/retention/boundary";
import type { settingsUpdate } from "./schemas";

const settingsSelect = { name: true, currency: true, timeZone: true, fiscalMonthStart: true, requireSsoOrTwoFactor: true, monthlyBudget: true, budgetThresholds: true, rawEventRetentionMonths: true, rawEventRetentionMode: true } as const;

type Settings = Prisma.OrganizationGetPayload<{ select: typeof settingsSelect }>;
const shown = (org: Settings) => ({ ...org, currency: org.currency.trim(), monthlyBudget: org.monthlyBudget?.toFixed(2) ?? null });

export async function getSettings() {
  return shown(await db.organization.findUniqueOrThrow({ where: { id: 1 }, select: settingsSelect }));
}

export async function updateSettings(caller: Caller, input: z.output<typeof settingsUpdate>) {
  const current = await db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { timeZone: true } });
  if (input.timeZone !== undefined && input.timeZone !== current.timeZone) await assertNothingRemoved("A time-zone change");
  const { before, after } = await db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: 1 }, select: settingsSelect });
    const after = await tx.organization.update({ where: { id: 1 }, data: input, select: settingsSelect });
    await audit(tx, { actor: caller, action: "settings.update", entity: "organization", entityId: 1, before, after });
    return { before, after };
  });
  forgetOrgSettings();
  // After the commit: the rebuild reads the new time zone and takes its own lock on the events.
  if (before.timeZone !== after.timeZone) await rebuildRollups(pool);
  // A budget or ladder change opens (or clears) the alerts it implies at once, as a department's does.
  if (input.monthlyBudget !== undefined || input.budgetThresholds !== undefined) {
    await evaluateAndNotify().catch((error: Error) => log.warn("alert evaluation after a settings change failed", { error: error.message }));
  }
  return { ...shown(after), rollupsRebuilt: before.timeZone !== after.timeZone };
}
