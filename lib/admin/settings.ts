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
import { parseLogo } from "@/lib/billing/logo";
import { rebuildRollups } from "@/lib/rollups/rebuild";
import { assertNothingRemoved } from "@/lib/retention/boundary";
import type { settingsUpdate } from "./schemas";

// The logo's bytes stay out of the audit log: its entries record the logo's size and type instead.
const settingsSelect = {
  name: true,
  currency: true,
  timeZone: true,
  fiscalMonthStart: true,
  requireSsoOrTwoFactor: true,
  monthlyBudget: true,
  budgetThresholds: true,
  legalName: true,
  address: true,
  taxId: true,
  paymentInstructions: true,
  paymentTermsDays: true,
  defaultTaxCategory: true,
  logoType: true,
  rawEventRetentionMonths: true,
  rawEventRetentionMode: true,
} as const;

type Settings = Prisma.OrganizationGetPayload<{ select: typeof settingsSelect }>;
const shown = (org: Settings, logo: Uint8Array | null) => {
  const { logoType, ...rest } = org;
  return {
    ...rest,
    currency: org.currency.trim(),
    monthlyBudget: org.monthlyBudget?.toFixed(2) ?? null,
    logo: logo && logoType ? `data:${logoType};base64,${Buffer.from(logo).toString("base64")}` : null,
  };
};

export async function getSettings() {
  const org = await db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { ...settingsSelect, logo: true } });
  return shown(org, org.logo);
}

export async function updateSettings(caller: Caller, input: z.output<typeof settingsUpdate>) {
  const current = await db.organization.findUniqueOrThrow({ where: { id: 1 }, select: { timeZone: true } });
  if (input.timeZone !== undefined && input.timeZone !== current.timeZone) await assertNothingRemoved("A time-zone change");
  const { logo, ...fields } = input;
  const image = typeof logo === "string" ? parseLogo(logo) : logo;
  const data = { ...fields, ...(image === undefined ? {} : { logo: image ? new Uint8Array(image.bytes) : null, logoType: image?.type ?? null }) };
  const { before, after, stored } = await db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: 1 }, select: settingsSelect });
    const { logo: stored, ...after } = await tx.organization.update({ where: { id: 1 }, data, select: { ...settingsSelect, logo: true } });
    const logoChange = image === undefined ? {} : { logo: image ? `${image.type}, ${image.bytes.length} bytes` : "removed" };
    await audit(tx, { actor: caller, action: "settings.update", entity: "organization", entityId: 1, before, after: { ...after, ...logoChange } });
    return { before, after, stored };
  });
  forgetOrgSettings();
  // After the commit: the rebuild reads the new time zone and takes its own lock on the events.
  if (before.timeZone !== after.timeZone) await rebuildRollups(pool);
  // A budget or ladder change opens (or clears) the alerts it implies at once, as a department's does.
  if (input.monthlyBudget !== undefined || input.budgetThresholds !== undefined) {
    await evaluateAndNotify().catch((error: Error) => log.warn("alert evaluation after a settings change failed", { error: error.message }));
  }
  return { ...shown(after, stored), rollupsRebuilt: before.timeZone !== after.timeZone };
}
