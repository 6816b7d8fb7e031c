// Keeps the app process running under `npm start`: a crash (e.g. out of memory) restarts it, but a crash loop
// ends the start command, so PostgreSQL is stopped cleanly instead of running on behind a dead app.
export interface SuperviseOptions {
  /** True once a signal asked everything to stop: an exit then is expected, not a crash. */
  isShuttingDown: () => boolean;
  maxRestarts?: number;
  windowMs?: number;
}

/** Runs `startApp` until shutdown; returns 1 after more than `maxRestarts` unexpected exits within `windowMs`. */
export async function supervise(startApp: () => Promise<number>, opts: SuperviseOptions): Promise<number> {
  const maxRestarts = opts.maxRestarts ?? 3;
  const windowMs = opts.windowMs ?? 5 * 60_000;
  const minutes = Math.round(windowMs / 60_000);
  let deaths: number[] = [];
  for (;;) {
    const code = await startApp();
    if (opts.isShuttingDown()) return code;
    const now = Date.now();
    deaths = [...deaths.filter((t) => now - t < windowMs), now];
    if (deaths.length > maxRestarts) {
      console.error(
        `[start] the app process died ${deaths.length} times within ${minutes} minutes (last exit code ${code}): giving up.\n` +
          "[start] Stopping PostgreSQL cleanly and exiting with status 1; the app's output above shows why it died.",
      );
      return 1;
    }
    console.error(`[start] the app process exited unexpectedly (code ${code}): restarting it (restart ${deaths.length} of at most ${maxRestarts} within ${minutes} minutes)`);
  }
}
