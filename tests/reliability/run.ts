// npm run test:reliability [-- <vitest args, e.g. a file filter>]: the slow fault-injection suite (tests/reliability/*.reliability.ts).
// Also runs the unit project with the full property-test counts (PROPERTY_RUNS=full).
// Uses the test PostgreSQL of `npm test` (embedded .data/pg-test, or TEST_DATABASE_URL/DATABASE_URL naming a test
// database) and the built app in .next (run `npm run build` or `npm test` first). Server logs: .data/reliability-logs/.
import fs from "node:fs";
import path from "node:path";
import { baseEnv, dataDir, root, run } from "../../scripts/lib/common";
import { appDir } from "./helpers";

if (!fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("no build in .next: run `npm run build` (or `npm test`) first");
  process.exit(1);
}
fs.rmSync(path.join(dataDir, "reliability-logs"), { recursive: true, force: true });
// One private copy of the build for the whole run (a concurrent `next build` must not pull it away mid-test).
const appDirCopy = appDir();
void run("vitest", ["run", "--project", "reliability", "--project", "unit", ...process.argv.slice(2)], { env: baseEnv({ RELIABILITY: "1", PROPERTY_RUNS: "full", RELIABILITY_APP_DIR: appDirCopy }) }).then((code) => process.exit(code));
