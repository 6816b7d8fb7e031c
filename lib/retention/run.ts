// A retention run: for each whole UTC month past the cutoff (plan.ts), oldest first, archive its raw events to a
// verified gzip'd CSV (archive mode), then detach and drop its partition, recording the run in retention_runs and the
// audit log in the same transaction as the drop. Rollups, invoices and usage_event_keys are never touched, so
// dashboards keep their totals and an event re-sent after its month was dropped is still a duplicate.
//
// Locks, per month: SHARE on the month's partition from before the row count to the commit (a late event for that
// month waits; reads go on), then ACCESS EXCLUSIVE on usage_events for the detach (lock_timeout 5 s: a run that
// cannot get it fails this month, changes nothing and is retried, rather than queueing ingestion behind it).
// As the owner (DDL), like partition maintenance (lib/partitions.ts). No "server-only": the benchmark uses it.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { env } from "@/lib/env";
import { ensureUsagePartitionsWith } from "@/lib/partitions";
import { manifestPath, readBackArchive, writeArchive, type Manifest } from "./archive";
import { quoteIdent, retentionPlan, type PlannedMonth } from "./plan";

export type RetentionRunResult = {
  /** Set when another run held the lock: this one did nothing. */
  skipped?: "another retention run is in progress";
  months: { month: string; mode: "drop" | "archive"; rows: number; bytes: number; file: string | null; seconds: number }[];
};

export type RetentionRunOptions = { actor: string; ownerUrl?: string; archiveDir?: string; now?: Date; lockTimeoutMs?: number };

export async function runRetention(options: RetentionRunOptions): Promise<RetentionRunResult> {
  const client = new pg.Client({ connectionString: options.ownerUrl ?? env().DATABASE_OWNER_URL ?? env().DATABASE_URL });
  await client.connect();
  try {
    const { rows: lock } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('retention.run')) AS ok");
    if (!lock[0]!.ok) return { skipped: "another retention run is in progress", months: [] };
    await client.query("SET statement_timeout = 0");
    // Old rows parked in the default partition get their month's partition first, so the plan sees them.
    await ensureUsagePartitionsWith(client);
    // A run killed mid-month left its row "running" (its drop never committed: the drop and "done" commit together).
    const stale = await client.query<{ file: string | null }>(
      "UPDATE retention_runs SET status = 'failed', error = 'interrupted (the process running it stopped)', finished_at = now() WHERE status = 'running' RETURNING file",
    );
    for (const r of stale.rows) if (r.file) await removeArchive(r.file);
    const plan = await retentionPlan(client, options.now);
    const columns = await usageEventColumns(client);
    const dir = path.resolve(options.archiveDir ?? env().RETENTION_ARCHIVE_DIR);
    if (plan.settings.mode === "archive") await mkdir(dir, { recursive: true });
    const result: RetentionRunResult = { months: [] };
    for (const month of plan.months.filter((m) => m.status === "due")) {
      const removed = await removeMonth(client, month, plan.settings.mode, columns, dir, options);
      if (removed) result.months.push(removed);
    }
    return result;
  } finally {
    await client.end();
  }
}

async function usageEventColumns(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'usage_events' ORDER BY ordinal_position`,
  );
  return rows.map((r) => r.name);
}

async function removeArchive(file: string) {
  await Promise.all([rm(file, { force: true }), rm(`${file}.partial`, { force: true }), rm(manifestPath(file), { force: true })]);
}

async function removeMonth(client: pg.Client, m: PlannedMonth, mode: "drop" | "archive", columns: string[], dir: string, options: RetentionRunOptions) {
  const started = Date.now();
  const { rows: inserted } = await client.query<{ id: number }>(
    "INSERT INTO retention_runs (month, mode, actor) VALUES ($1::date, $2, $3) RETURNING id",
    [`${m.month}-01`, mode, options.actor],
  );
  const runId = inserted[0]!.id;
  const file = mode === "archive" ? path.join(dir, `usage_events_${m.month.replace("-", "")}_run${runId}.csv.gz`) : null;
  if (file) await client.query("UPDATE retention_runs SET file = $2 WHERE id = $1", [runId, file]);
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL lock_timeout = ${Math.max(0, Math.floor(options.lockTimeoutMs ?? 5000))}`);
    const part = quoteIdent(m.partition);
    await client.query(`LOCK TABLE ${part} IN SHARE MODE`);
    // A draft written since the plan was read holds the month after all. From here on none can be generated for it:
    // this month's "running" row already moved the boundary that invoice generation checks.
    const { rows: held } = await client.query("SELECT 1 FROM invoices WHERE status = 'draft' AND period_start < $2 AND period_end > $1 LIMIT 1", [m.from, m.to]);
    if (held.length) {
      await client.query("ROLLBACK");
      await client.query("DELETE FROM retention_runs WHERE id = $1", [runId]);
      return null;
    }
    const { rows: counted } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${part}`);
    const rows = Number(counted[0]!.n);
    let archived = { bytes: 0, sha256: null as string | null };
    if (file) {
      const written = await writeArchive(client, m.partition, columns, `${file}.partial`);
      const check = await readBackArchive(`${file}.partial`);
      if (written.rows !== rows || check.rows !== rows || check.sha256 !== written.sha256 || check.bytes !== written.bytes) {
        throw new Error(`archive of ${m.month} does not verify: ${rows} rows in the partition, ${written.rows} copied, ${check.rows} read back; sha256 ${check.sha256 === written.sha256 ? "equal" : "differs"}`);
      }
      const manifest: Manifest = {
        format: "agentledger.usage_events.csv.gz/1",
        month: m.month,
        from: m.from.toISOString(),
        to: m.to.toISOString(),
        rows,
        bytes: written.bytes,
        sha256: written.sha256,
        columns,
        createdAt: new Date().toISOString(),
      };
      await writeFile(manifestPath(file), JSON.stringify(manifest, null, 2) + "\n", { flag: "wx" });
      await rename(`${file}.partial`, file);
      archived = { bytes: written.bytes, sha256: written.sha256 };
    }
    await client.query(`ALTER TABLE usage_events DETACH PARTITION ${part}`);
    await client.query(`DROP TABLE ${part}`);
    await client.query(
      "UPDATE retention_runs SET status = 'done', rows = $2, bytes = $3, sha256 = $4, finished_at = now() WHERE id = $1",
      [runId, rows, archived.bytes, archived.sha256],
    );
    await client.query(
      "INSERT INTO audit_logs (actor, action, entity, entity_id, after) VALUES ($1, $2, 'usage_events', $3, $4)",
      [options.actor, mode === "archive" ? "retention.archive" : "retention.drop", m.month,
        JSON.stringify({ runId, rows, bytes: archived.bytes, file, sha256: archived.sha256, freedBytes: m.bytes })],
    );
    await client.query("COMMIT");
    return { month: m.month, mode, rows, bytes: archived.bytes, file, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if (file) await removeArchive(file);
    const message = error instanceof Error ? error.message : String(error);
    await client.query("UPDATE retention_runs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1", [runId, message.slice(0, 2000)]);
    // Months go oldest first: stop here, so what is removed stays one unbroken stretch before the boundary.
    throw error;
  }
}
