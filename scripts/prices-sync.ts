// npm run prices:sync [-- --dry-run] [-- --file catalog.json --version LABEL]
// Loads the pinned catalog package's prices (or a catalog file in its data.json format) into model_prices of the
// app's database (DATABASE_URL, else the embedded cluster): prints the diff, then applies it unless --dry-run.
// Offline: the data ships inside the package. The organization's own price rows are never touched.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { loadDotEnv } from "./lib/common";
import { provideDatabase } from "./lib/database";

async function main() {
  const { values } = parseArgs({ options: { "dry-run": { type: "boolean" }, file: { type: "string" }, version: { type: "string" } } });
  loadDotEnv();
  const database = await provideDatabase();
  try {
    process.env.DATABASE_URL = database.ownerUrl;
    const { pool } = await import("@/lib/db");
    const { applyCatalog, fileCatalog, packageCatalog, previewCatalog } = await import("@/lib/pricing/catalog-store");
    try {
      const next = values.file
        ? fileCatalog(values.version ?? new Date().toISOString().slice(0, 10), JSON.parse(fs.readFileSync(values.file, "utf8")))
        : await packageCatalog();
      const diff = await previewCatalog(pool, next);
      console.log(`catalog ${diff.version} (currently ${diff.currentVersion ?? "none"}): ${diff.added} added, ${diff.changed} changed, ${diff.removed} removed, ${diff.unchanged} unchanged`);
      for (const c of diff.changes.slice(0, 20)) {
        console.log(`  ${c.before ? (c.after ? "~" : "-") : "+"} ${c.provider}/${c.model} from ${c.effectiveFrom.slice(0, 10)}: ${c.after ? `in ${c.after.inputPerMTok} out ${c.after.outputPerMTok}` : "removed"}`);
      }
      if (diff.skipped.length) {
        console.log(`${diff.skipped.length} catalog entries not loaded or partly loaded:`);
        for (const s of diff.skipped) console.log(`  ${s.provider}/${s.model}: ${s.reason}`);
      }
      if (values["dry-run"]) return console.log("dry run: nothing applied");
      await applyCatalog(pool, next, { expect: diff.hash, actor: { id: null, label: "system (prices:sync)" } });
      console.log("applied");
    } finally {
      await pool.end();
    }
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
