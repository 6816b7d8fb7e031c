// Organization settings (single organization per deployment), cached briefly: read on nearly every request.
import "server-only";
import { db } from "@/lib/db";

/** `fiscalMonthStart`: the month (1–12) the fiscal year starts in: fiscal quarters and "year to date" follow it. */
export type OrgSettings = { name: string; currency: string; timeZone: string; fiscalMonthStart: number; dimensions: string[] };

let cache: { value: OrgSettings; at: number } | undefined;

export async function orgSettings(): Promise<OrgSettings> {
  if (cache && Date.now() - cache.at < 5_000) return cache.value;
  const org = await db.organization.findUnique({ where: { id: 1 } });
  if (!org) throw new Error("Organization is not set up: run the seed (npm run db:seed)");
  const value = { name: org.name, currency: org.currency.trim(), timeZone: org.timeZone, fiscalMonthStart: org.fiscalMonthStart, dimensions: org.dimensions };
  cache = { value, at: Date.now() };
  return value;
}

/** Call after changing settings so this instance sees them at once. */
export function forgetOrgSettings() {
  cache = undefined;
}
