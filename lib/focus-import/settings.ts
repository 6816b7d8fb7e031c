// The organization's FOCUS import settings: read (defaults filled in), replaced by an admin (audited), and the
// preview of what a file would become under them, shown before the upload is committed.
import "server-only";
import { parse } from "csv-parse/sync";
import { BadRequestError } from "@/lib/api/errors";
import type { Caller } from "@/lib/auth/caller";
import { audit } from "@/lib/audit";
import { db, pool } from "@/lib/db";
import { loadFxLookup } from "@/lib/currency/lookup";
import { loadDepartments } from "@/lib/ingest/writer";
import { orgSettings } from "@/lib/org";
import { compileFilter, expandCharge, mappingSources, mapRecord, spreadDays } from "./map";
import { loadFocusSettings } from "./run";
import type { FocusPreview, FocusPreviewRequest } from "./schemas";
import type { FocusSettings } from "./settings-schema";

export const getFocusSettings = loadFocusSettings;

export async function updateFocusSettings(caller: Caller, settings: FocusSettings): Promise<FocusSettings> {
  const before = await loadFocusSettings();
  await db.$transaction(async (tx) => {
    await tx.organization.update({ where: { id: 1 }, data: { focusImport: settings } });
    await audit(tx, { actor: caller, action: "focus_import_settings.update", entity: "organization", entityId: 1, before, after: settings });
  });
  return loadFocusSettings();
}

const PREVIEW_ROWS = 50;

/** The first rows of a file as the import would map them (nothing is written). */
export async function previewFocus(request: FocusPreviewRequest): Promise<FocusPreview> {
  const settings = request.settings ?? (await loadFocusSettings());
  let records: Record<string, string>[];
  try {
    // The browser sends the file's head: a cut-off last line is dropped rather than reported.
    const text = request.csv.slice(0, request.csv.lastIndexOf("\n") + 1 || undefined);
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, relax_column_count: true, to: PREVIEW_ROWS });
  } catch (error) {
    throw new BadRequestError(`csv: ${(error as Error).message.slice(0, 200)}`);
  }
  const org = await orgSettings();
  const isAi = compileFilter(settings.filter);
  const sources = mappingSources(settings);
  const mapped = records.map((record) => mapRecord(record, settings, isAi, sources));
  const codes = [...new Set(mapped.flatMap((m) => (m.kind === "charge" && m.charge.departmentCode ? [m.charge.departmentCode] : [])))];
  const needs = mapped.flatMap((m) => (m.kind === "charge" && m.charge.currency !== org.currency ? spreadDays(m.charge.start, m.charge.end, org.timeZone).map(({ day }) => ({ currency: m.charge.currency, day })) : []));
  const [departments, fx] = await Promise.all([loadDepartments(pool, codes), loadFxLookup(pool, org.currency, org.timeZone, needs)]);
  return {
    rows: mapped.map((m, i) => {
      const row = i + 1;
      if (m.kind === "skipped") return { row, status: "skipped" as const, service: records[i]!.ServiceName ?? null };
      if (m.kind === "error") return { row, status: "error" as const, error: m.error };
      const c = m.charge;
      const expanded = expandCharge(c, "preview", { timeZone: org.timeZone, currency: org.currency, departments, fx });
      if ("error" in expanded) return { row, status: "error" as const, error: expanded.error };
      return {
        row,
        status: "import" as const,
        service: c.properties.service_name ?? null,
        provider: c.properties.provider ?? null,
        chargeCategory: c.properties.charge_category!,
        agent: c.agentKey,
        department: c.departmentCode,
        departmentKnown: c.departmentCode === null ? null : departments.has(c.departmentCode),
        customer: c.customerKey,
        cost: c.cost.toFixed(),
        currency: c.currency,
        events: expanded.rows.length,
      };
    }),
  };
}
