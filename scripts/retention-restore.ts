// npm run retention:restore -- <archive.csv.gz>: loads a raw event archive written by the retention run back into
// usage_events (docs/retention.md). Verifies the file against its manifest first; idempotent (stored rows are skipped).
import { restoreArchive } from "../lib/retention/restore";

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error("usage: npm run retention:restore -- <path/to/usage_events_YYYYMM_runN.csv.gz>");
  process.exit(2);
}
restoreArchive(file, { actor: "operator (retention:restore)" }).then(
  (r) => console.log(`${r.month}: ${r.restored} rows restored, ${r.skipped} already stored (archive holds ${r.rows})`),
  (error: Error) => {
    console.error(`retention:restore failed, nothing changed: ${error.message}`);
    process.exit(1);
  },
);
