// The resource-exhaustion fuzz over every read route (tests/helpers/read-fuzz.ts), a few cases per route and caller
// so `npm test` stays fast; `npm run test:reliability` runs it with the full count. FUZZ_RUNS overrides both.
import { startAppServer } from "./helpers/app-server";
import { readFuzzSuite } from "./helpers/read-fuzz";

readFuzzSuite({
  runs: Number(process.env.FUZZ_RUNS ?? 3),
  start: (env) => startAppServer({ databaseUrl: process.env.DATABASE_URL!, env }),
});
