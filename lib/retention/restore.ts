// Loads an archive (archive.ts) back into usage_events: the operator's `npm run retention:restore -- <file>`.
// Idempotent: rows already stored (same id and timestamp) are skipped, so a second restore adds nothing. The month's
// partition is re-created if it was dropped. Rollups are not touched: they kept the month's events all along.
import { stat } from "node:fs/promises";
import pg from "pg";
import { env } from "@/lib/env";
import { copyArchiveInto, readBackArchive, readManifest } from "./archive";

export type RestoreResult = { month: string; rows: number; restored: number; skipped: number };

export async function restoreArchive(file: string, options: { ownerUrl?: string; actor?: string } = {}): Promise<RestoreResult> {
  const manifest = await readManifest(file);
  const size = (await stat(file)).size;
  if (size !== manifest.bytes) throw new Error(`${file}: ${size} bytes, the manifest says ${manifest.bytes}; refusing a truncated or changed archive`);
  const check = await readBackArchive(file);
  if (check.sha256 !== manifest.sha256 || check.rows !== manifest.rows) {
    throw new Error(`${file}: sha256 ${check.sha256} and ${check.rows} rows, the manifest says ${manifest.sha256} and ${manifest.rows}; refusing it`);
  }
  const client = new pg.Client({ connectionString: options.ownerUrl ?? env().DATABASE_OWNER_URL ?? env().DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL statement_timeout = 0");
    // Serialized with retention runs, which could otherwise drop the month again while it loads.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('retention.run'))");
    await client.query("SELECT usage_events_add_partition($1::timestamptz)", [manifest.from]);
    await client.query("CREATE TEMP TABLE retention_restore (LIKE usage_events INCLUDING DEFAULTS) ON COMMIT DROP");
    const copied = await copyArchiveInto(client, "retention_restore", manifest, file);
    if (copied !== manifest.rows) throw new Error(`${file}: COPY read ${copied} rows, the manifest says ${manifest.rows}`);
    const cols = manifest.columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(", ");
    const inserted = await client.query(
      `INSERT INTO usage_events (${cols}) SELECT ${cols} FROM retention_restore r
       WHERE NOT EXISTS (SELECT 1 FROM usage_events e WHERE e.id = r.id AND e.timestamp = r.timestamp)`,
    );
    const restored = inserted.rowCount ?? 0;
    await client.query("UPDATE retention_runs SET status = 'restored' WHERE month = $1::date AND status = 'done'", [`${manifest.month}-01`]);
    await client.query("INSERT INTO audit_logs (actor, action, entity, entity_id, after) VALUES ($1, 'retention.restore', 'usage_events', $2, $3)", [
      options.actor ?? "system",
      manifest.month,
      JSON.stringify({ file, rows: manifest.rows, restored, skipped: manifest.rows - restored, sha256: manifest.sha256 }),
    ]);
    await client.query("COMMIT");
    return { month: manifest.month, rows: manifest.rows, restored, skipped: manifest.rows - restored };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
