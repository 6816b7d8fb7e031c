// A small typed client for POST /api/v1/events (buffers events into batches, retries what may be retried) and
// POST /api/v1/budget-checks. Events are safe to retry blindly because their ids are idempotency keys: a batch sent
// twice is stored once. Budget checks are read-only, so they are retried too, but briefly (they sit before a call).
import type { z } from "zod";
import type { budgetCheckRequest, budgetCheckResponse } from "@/lib/budgets/schemas";
import type { IngestEvent, IngestResponse } from "@/lib/ingest/schemas";

export type { IngestEvent, IngestResponse };
export type BudgetCheckRequest = z.input<typeof budgetCheckRequest>;
export type BudgetCheckResponse = z.infer<typeof budgetCheckResponse>;

export type ClientOptions = {
  baseUrl: string;
  apiKey: string;
  /** Events per request (the API takes up to 10,000). */
  batchSize?: number;
  /** Attempts per batch for network errors, 429 and 5xx. */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt unless the server sends Retry-After. */
  retryDelayMs?: number;
  fetch?: typeof fetch;
};

export class AgentLedgerError extends Error {
  constructor(message: string, readonly status: number, readonly body: unknown) {
    super(message);
  }
}

export class AgentLedgerClient {
  private buffer: IngestEvent[] = [];
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.batchSize = options.batchSize ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.fetch = options.fetch ?? fetch;
  }

  /** Queues an event; sends a batch once `batchSize` are queued. */
  async track(event: IngestEvent): Promise<IngestResponse | null> {
    this.buffer.push(event);
    return this.buffer.length >= this.batchSize ? this.flush() : null;
  }

  /** Sends everything queued, in batches; results are summed. */
  async flush(): Promise<IngestResponse> {
    const total: IngestResponse = { accepted: 0, duplicates: 0, rejected: [] };
    let offset = 0;
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.batchSize);
      const result = await this.send(batch);
      total.accepted += result.accepted;
      total.duplicates += result.duplicates;
      total.rejected.push(...result.rejected.map((r) => ({ ...r, index: r.index + offset })));
      offset += batch.length;
    }
    return total;
  }

  /** Sends one batch now, retrying network errors, 429 and 5xx with backoff. */
  send(events: IngestEvent[]): Promise<IngestResponse> {
    return this.post<IngestResponse>("/api/v1/events", { events }, this.maxAttempts);
  }

  /**
   * May this agent spend now? `allowed: false` (level "hard"): do not make the call. Level "soft": allowed, but
   * past the warning level. Two attempts at most: a caller that cannot get an answer applies its own policy.
   */
  checkBudget(request: BudgetCheckRequest): Promise<BudgetCheckResponse> {
    return this.post<BudgetCheckResponse>("/api/v1/budget-checks", request, Math.min(2, this.maxAttempts));
  }

  private async post<T>(path: string, payload: unknown, maxAttempts: number): Promise<T> {
    const url = `${this.options.baseUrl.replace(/\/+$/, "")}${path}`;
    const body = JSON.stringify(payload);
    for (let attempt = 1; ; attempt++) {
      let retryAfter: string | null = null;
      let failure: AgentLedgerError;
      try {
        const res = await this.fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${this.options.apiKey}` },
          body,
        });
        const json: unknown = await res.json().catch(() => null);
        if (res.ok) return json as T;
        const message = (json as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
        failure = new AgentLedgerError(`HTTP ${res.status}: ${message}`, res.status, json);
        if (res.status !== 429 && res.status < 500) throw failure;
        retryAfter = res.headers.get("retry-after");
      } catch (error) {
        if (error instanceof AgentLedgerError && error.status !== 429 && error.status < 500) throw error;
        failure = error instanceof AgentLedgerError ? error : new AgentLedgerError(`network error: ${(error as Error).message}`, 0, null);
      }
      if (attempt >= maxAttempts) throw failure;
      const seconds = Number(retryAfter);
      const delay = retryAfter !== null && Number.isFinite(seconds) ? seconds * 1000 : this.retryDelayMs * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
