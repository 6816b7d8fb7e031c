// What a job is: a name, an idempotent handler, and how the queue treats it. The registry (registry.ts) lists
// every job of the app; this file only holds the shape, so it imports nothing of the app.

/** What a handler learns about the job it runs. */
/** `signal` aborts when this process's worker stops (SIGTERM, tests): a long-running handler returns early. */
export type JobContext = { id: string; name: string; retryCount: number; signal: AbortSignal };

export type JobOptions = {
  /** Attempts after the first failure (default 3). */
  retryLimit?: number;
  /** Seconds before the first retry (default 10); doubled for each further attempt when retryBackoff. */
  retryDelay?: number;
  retryBackoff?: boolean;
  /**
   * Seconds a run may take. Past it the job counts as failed and is retried (this is how a job whose instance was
   * SIGKILLed comes back), so set it above the longest honest run. Default 600.
   */
  expireInSeconds?: number;
  /** Cron expression (UTC, minute resolution): the job is enqueued once per tick across all instances. */
  cron?: string;
  /** Jobs of this name a worker runs at once (default 1). */
  concurrency?: number;
};

export type JobDefinition<T = unknown> = {
  name: string;
  /**
   * Must be idempotent: it may run again after a crash, a timeout or a retry. Effects that must happen once go
   * through once() (lib/jobs/once.ts) or a natural key. Runs inside runInBackground() (no statement timeout).
   */
  handler: (data: T, job: JobContext) => Promise<unknown>;
  options: JobOptions;
};

/** Job names: lower-case words with dots and dashes, e.g. "connectors.tick" (pg-boss' own names start with "__"). */
const NAME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

export function defineJob<T = Record<string, never>>(name: string, handler: JobDefinition<T>["handler"], options: JobOptions = {}): JobDefinition<T> {
  if (!NAME.test(name)) throw new Error(`job name "${name}" must be lower-case words separated by dots`);
  return { name, handler, options };
}
