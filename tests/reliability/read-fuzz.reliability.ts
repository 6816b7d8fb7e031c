// The resource-exhaustion fuzz over every read route (tests/helpers/read-fuzz.ts) with the full run count.
import { readFuzzSuite } from "../helpers/read-fuzz";
import { spawnApp, stopApp } from "./helpers";

readFuzzSuite({
  runs: Number(process.env.FUZZ_RUNS ?? 60),
  start: async (env) => {
    const app = await spawnApp({ databaseUrl: process.env.DATABASE_URL!, label: "read-fuzz", env });
    return { baseUrl: app.baseUrl, pid: app.child.pid!, stop: () => stopApp(app) };
  },
});
