// Organization settings. A time-zone change re-buckets every rollup, because days and months follow it.
import "server-only";
import type { z } from "zod";
import { audit } from "@/lib/audit";
import type { Caller } from "@/lib/auth/caller";
import { db, pool } from "@/lib/db";
import { forgetOrgSettings } from "@/lib/org";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import type { settingsUpdate } from "./schemas";

const settingsSelect = { name: true, currency: true, timeZone: true, fiscalMonthStart: true, requireSsoOrTwoFactor: true } as const;

export async function getSettings() {
  const org = await db.organization.findUniqueOrThrow({ where: { id: 1 }, select: settingsSelect });
  return { ...org, currency: org.currency.trim() };
}

export async function updateSettings(caller: Caller, input: z.output<typeof settingsUpdate>) {
  const { before, after } = await db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: 1 }, select: settingsSelect });
    const after = await tx.organization.update({ where: { id: 1 }, data: input, select: settingsSelect });
    await audit(tx, { actor: caller, action: "settings.update", entity: "organization", entityId: 1, before, after });
    return { before, after };
  });
  forgetOrgSettings();
  // After the commit: the rebuild reads the new time zone and takes its own lock on the events.
  if (before.timeZone !== after.timeZone) await rebuildRollups(pool);
  return { ...after, currency: after.currency.trim(), rollupsRebuilt: before.timeZone !== after.timeZone };
}
