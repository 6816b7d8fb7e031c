// Raw event retention against real PostgreSQL: the dry run changes nothing; an archive run writes a verified gzip'd
// CSV, drops the month's partition and leaves rollups, keys and dedupe as they were; what needs raw events refuses
// the removed months (409); the restore command's function brings the rows back identical, and again adds nothing;
// a month a draft invoice touches is held until the invoice is gone; drop mode writes no file.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { UserCaller } from "@/lib/auth/caller";
import { settingsUpdate } from "@/lib/admin/schemas";
import { updateSettings } from "@/lib/admin/settings";
import { exploreEvents } from "@/lib/analytics/events";
import { generateDrafts } from "@/lib/billing/generate";
import { eventsQuery } from "@/lib/analytics/schemas";
import { correctEvent } from "@/lib/corrections/corrections";
import { db, pool } from "@/lib/db";
import { totals } from "@/lib/ingest/test-utils";
import { forgetOrgSettings, orgSettings } from "@/lib/org";
import { foldAll } from "@/lib/rollups/fold";
import { createRecomputeRun, previewRun } from "@/lib/recompute/runs";
import { ingest } from "@/lib/recompute/test-utils";
import { seedBasics } from "@/tests/helpers/db";
import { env } from "@/lib/env";
import { retentionOverview } from "./admin";
import { manifestPath, readManifest } from "./archive";
import { rawEventsFrom } from "./boundary";
import { retentionView } from "./schemas";
import { restoreArchive } from "./restore";
import { runRetention } from "./run";

const admin: UserCaller = { kind: "user", id: 1, email: "admin@test", name: "Admin", role: "admin", departmentIds: null };
let dir: string;

const ev = (id: string, timestamp: string, extra: Record<string, unknown> = {}) => ({
  id,
  timestamp,
  agent: "support-bot",
  type: "agent.action",
  cost: { amount: "0.125", currency: "USD" },
  ...extra,
});
const yesterday = new Date(Date.now() - 86_400_000).toISOString();
const EVENTS = [
  ev("may-1", "2026-05-01T00:00:00Z"),
  // A property with a quote, a comma and a line break: the archive's CSV quoting and the read-back count must hold.
  ev("may-2", "2026-05-15T12:00:00Z", { properties: { note: 'said "hi",\nthen left' } }),
  ev("may-3", "2026-05-31T23:59:59.999Z", { quantity: 3 }),
  ev("jun-1", "2026-06-10T08:00:00Z"),
  ev("jun-2", "2026-06-20T08:00:00Z"),
  ev("recent", yesterday),
];

/** md5 of a month's rows, every column, in id order (as text). */
async function monthDigest(month: string): Promise<string | null> {
  const from = `${month}-01T00:00:00Z`;
  const { rows } = await pool.query<{ md5: string | null }>(
    `SELECT md5(string_agg(e::text, '|' ORDER BY id)) AS md5 FROM usage_events e WHERE timestamp >= $1::timestamptz AND timestamp < $1::timestamptz + interval '1 month'`,
    [from],
  );
  return rows[0]!.md5;
}

async function rollupSnapshot() {
  await foldAll();
  const { rows } = await pool.query("SELECT * FROM usage_rollup_daily ORDER BY day, agent_id, type, dims::text");
  const { hourly, daily, dailyCore, hourlyCore, dailyCustomer } = await totals();
  return { rows, totals: { hourly, daily, dailyCore, hourlyCore, dailyCustomer } };
}

const partitionExists = async (name: string) => (await pool.query<{ r: string | null }>("SELECT to_regclass($1)::text AS r", [name])).rows[0]!.r !== null;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "retention-"));
  await seedBasics(env().DATABASE_URL);
  await db.user.create({ data: { id: 1, email: "admin@test", name: "Admin", role: "admin" } });
  expect(await ingest("test", EVENTS)).toBe(EVENTS.length);
  // A draft invoice for June holds that month.
  await pool.query(
    "INSERT INTO invoices (period, period_start, period_end, status, updated_at) VALUES ('2026-06', '2026-06-01T00:00:00Z', '2026-07-01T00:00:00Z', 'draft', now())",
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the setting: at least 3 months or null, drop or archive, audited", async () => {
  expect(settingsUpdate.safeParse({ rawEventRetentionMonths: 2 }).error?.issues.map((i) => i.path.join("."))).toEqual(["rawEventRetentionMonths"]);
  expect(settingsUpdate.safeParse({ rawEventRetentionMode: "shred" }).success).toBe(false);
  const saved = await updateSettings(admin, settingsUpdate.parse({ rawEventRetentionMonths: 3, rawEventRetentionMode: "archive" }));
  expect(saved).toMatchObject({ rawEventRetentionMonths: 3, rawEventRetentionMode: "archive" });
  const logged = await db.auditLog.findFirstOrThrow({ where: { action: "settings.update" }, orderBy: { id: "desc" } });
  expect(logged.after).toMatchObject({ rawEventRetentionMonths: 3 });
});

test("the dry run lists what would go and changes nothing", async () => {
  const before = { may: await monthDigest("2026-05"), jun: await monthDigest("2026-06"), rollups: await rollupSnapshot() };
  const view = retentionView.parse(await retentionOverview());
  const months = Object.fromEntries(view.dryRun.months.map((m) => [m.month, m]));
  expect(months["2026-05"]).toMatchObject({ rows: 3, rowsExact: true, status: "due", heldBy: [] });
  expect(months["2026-05"]!.bytes).toBeGreaterThan(0);
  expect(months["2026-06"]).toMatchObject({ rows: 2, status: "held" });
  expect(view.rawEventsFrom).toBeNull();
  expect({ may: await monthDigest("2026-05"), jun: await monthDigest("2026-06"), rollups: await rollupSnapshot() }).toEqual(before);
  expect(await db.retentionRun.count()).toBe(0);
});

test("archive round trip: verified file, partition dropped, rollups and dedupe kept, removed months refused, restore identical and idempotent", async () => {
  const mayDigest = await monthDigest("2026-05");
  const rollups = await rollupSnapshot();

  const result = await runRetention({ actor: "test", archiveDir: dir });
  expect(result.months.map((m) => [m.month, m.mode, m.rows])).toEqual([["2026-05", "archive", 3]]);
  const file = result.months[0]!.file!;
  expect(await partitionExists("usage_events_202605")).toBe(false);
  expect(await partitionExists("usage_events_202606")).toBe(true); // held by the draft invoice
  expect(await monthDigest("2026-05")).toBeNull();

  // The file is what the manifest says, and the run is recorded.
  const manifest = await readManifest(file);
  expect(manifest).toMatchObject({ month: "2026-05", rows: 3, from: "2026-05-01T00:00:00.000Z", to: "2026-06-01T00:00:00.000Z" });
  expect(manifest.columns).toContain("event_key");
  expect(createHash("sha256").update(await readFile(file)).digest("hex")).toBe(manifest.sha256);
  expect(manifestPath(file)).toMatch(/\.manifest\.json$/);
  const run = await db.retentionRun.findFirstOrThrow();
  expect(run).toMatchObject({ status: "done", mode: "archive", rows: 3n, file, sha256: manifest.sha256 });
  expect(await db.auditLog.count({ where: { action: "retention.archive", entityId: "2026-05" } })).toBe(1);

  // Dashboards read rollups: unchanged. Keys stay: the re-sent event is still a duplicate.
  expect(await rollupSnapshot()).toEqual(rollups);
  expect(await ingest("test", [EVENTS[1]])).toBe(0);
  expect((await pool.query("SELECT 1 FROM usage_event_keys WHERE source = 'test' AND event_key = 'may-2'")).rowCount).toBe(1);
  expect(await rawEventsFrom()).toEqual(new Date("2026-06-01T00:00:00Z"));

  // What needs the raw rows refuses the removed months with a 409 naming the boundary.
  const may = { kind: "reprice" as const, from: new Date("2026-05-01T00:00:00Z"), to: new Date("2026-06-01T00:00:00Z"), predicate: {} };
  await expect(previewRun(may)).rejects.toMatchObject({ status: 409, message: expect.stringContaining("2026-06-01T00:00:00.000Z") });
  await expect(createRecomputeRun(admin, { ...may, reason: "test" })).rejects.toMatchObject({ status: 409 });
  await expect(correctEvent(admin, "test", "may-2", { kind: "reversal", reason: "test", idempotency_key: "r1" })).rejects.toMatchObject({ status: 409 });
  forgetOrgSettings();
  await expect(exploreEvents(admin, await orgSettings(), eventsQuery.parse({ from: "2026-05-01", to: "2026-05-31" }))).rejects.toMatchObject({ status: 409 });
  const across = await exploreEvents(admin, await orgSettings(), eventsQuery.parse({ from: "2026-05-01", to: "2026-06-30" }));
  expect(across).toMatchObject({ rawEventsFrom: "2026-06-01T00:00:00.000Z", totals: { events: 5 } });
  expect(across.events.map((e) => e.key).sort()).toEqual(["jun-1", "jun-2"]);
  await expect(updateSettings(admin, settingsUpdate.parse({ timeZone: "Europe/Paris" }))).rejects.toMatchObject({ status: 409 });
  await expect(generateDrafts("2026-05", admin)).rejects.toMatchObject({ status: 409 });

  // Restore: the same rows, byte for byte; a second restore adds nothing.
  expect(await restoreArchive(file)).toEqual({ month: "2026-05", rows: 3, restored: 3, skipped: 0 });
  expect(await monthDigest("2026-05")).toBe(mayDigest);
  expect(await restoreArchive(file)).toEqual({ month: "2026-05", rows: 3, restored: 0, skipped: 3 });
  expect(await monthDigest("2026-05")).toBe(mayDigest);
  expect(await rollupSnapshot()).toEqual(rollups);
  expect((await db.retentionRun.findFirstOrThrow()).status).toBe("restored");
  expect(await rawEventsFrom()).toBeNull();
});

test("drop mode writes no file; a month is released once its draft invoice is gone", async () => {
  await updateSettings(admin, settingsUpdate.parse({ rawEventRetentionMode: "drop" }));
  await pool.query("DELETE FROM invoices WHERE period = '2026-06'");
  const rollups = await rollupSnapshot();
  const result = await runRetention({ actor: "test", archiveDir: dir });
  expect(result.months.map((m) => [m.month, m.mode, m.rows, m.file])).toEqual([["2026-05", "drop", 3, null], ["2026-06", "drop", 2, null]]);
  expect(await rollupSnapshot()).toEqual(rollups);
  expect((await pool.query("SELECT count(*)::int AS n FROM usage_events")).rows[0]).toEqual({ n: 1 });
  expect(await rawEventsFrom()).toEqual(new Date("2026-07-01T00:00:00Z"));
  expect((await runRetention({ actor: "test", archiveDir: dir })).months).toEqual([]);
});
