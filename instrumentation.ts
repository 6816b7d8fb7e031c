// Next.js calls register() once per server instance at start-up: the place to start in-process background work.
export async function register() {
  // The edge runtime has no database access; the job worker lives in the Node.js server only.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Sign-in limits need each request's socket address, which Next.js does not pass to route handlers.
    (await import("@/lib/auth/client-address")).stampPeerAddresses();
    // Validate the configuration at start-up, so a bad variable stops the server with a clear message.
    const { env } = await import("@/lib/env");
    env();
    // Background work (connector runs, alert evaluation, webhook deliveries, …) runs from the PostgreSQL job queue.
    if (env().JOBS_WORKER === "on") {
      const { log } = await import("@/lib/log");
      const { startWorker, stopWorker, enqueueJob } = await import("@/lib/jobs/queue");
      // A worker that cannot start (e.g. the database is down at boot) must not stop the server; it retries.
      const start = (): void =>
        void startWorker()
          // Forecast and anomaly conditions change with time alone: evaluate once at start-up as before.
          .then(() => enqueueJob("alerts.evaluate", {}, { singletonKey: "start", singletonSeconds: 30 }))
          // The rollup fold starts now rather than at the next minute's tick.
          .then(() => enqueueJob("rollups.fold", {}, { singletonKey: "start", singletonSeconds: 30 }))
          .catch((error: Error) => {
            log.warn("job worker could not start; retrying in 10 s", { error: error.message });
            void stopWorker(0).finally(() => setTimeout(start, 10_000).unref());
          });
      start();
      // On SIGTERM stop taking jobs and give running ones a moment; Next's own handler then ends the process.
      // A job cut short anyway is retried after its expiry (every handler is idempotent).
      process.once("SIGTERM", () => void stopWorker(10_000));
    }
  }
}
