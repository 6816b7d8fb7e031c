// Next.js calls register() once per server instance at start-up: the place to start in-process background work.
export async function register() {
  // The edge runtime has no database access; the scheduler lives in the Node.js server only.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Sign-in limits need each request's socket address, which Next.js does not pass to route handlers.
    (await import("@/lib/auth/client-address")).stampPeerAddresses();
    // Validate the configuration at start-up, so a bad variable stops the server with a clear message.
    const { env } = await import("@/lib/env");
    env();
    const { startScheduler } = await import("@/lib/connectors/scheduler");
    startScheduler();
    // Forecast and anomaly conditions change with time alone, and webhook retries must resume after a restart.
    const { scheduleAlertEvaluation } = await import("@/lib/alerts/schedule");
    scheduleAlertEvaluation();
    // Recompute runs interrupted by a restart continue after their last committed batch.
    const { resumeRecomputeRuns } = await import("@/lib/recompute/runs");
    void resumeRecomputeRuns();
  }
}
