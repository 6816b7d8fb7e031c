// A job-worker instance for the reliability harness: the app's own lib/jobs worker (every registry job, plus the
// test jobs of ./jobs.ts) in a plain Node process, as instrumentation.ts starts it inside `next start`.
// Run: node --conditions=react-server --import tsx tests/reliability/job-worker.ts (env: DATABASE_URL, NEXTAUTH_SECRET, JOBS_*).
import { registerJobs, startWorker, stopWorker } from "@/lib/jobs";
import { RELIABILITY_JOBS } from "./jobs";

registerJobs(RELIABILITY_JOBS);
process.once("SIGTERM", () => void stopWorker(5_000).finally(() => process.exit(0)));
// No top-level await: tsx loads this file as CommonJS.
void startWorker().then(
  () => console.log(JSON.stringify({ message: "reliability worker ready", pid: process.pid })),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
