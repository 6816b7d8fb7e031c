// A small typed client for POST /api/v1/events: buffers events into batches, retries what may be retried.
// Safe to retry blindly because event ids are idempotency keys: a batch sent twice is stored once.
import type { IngestEvent, IngestResponse } from "@/lib/ingest/schemas";

export type { IngestEvent, IngestResponse };

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
  async send(events: IngestEvent[]): Promise<IngestResponse> {
    const url = `${this.options.baseUrl.replace(/\/+$/, "")}/api/v1/events`;
    const body = JSON.stringify({ events });
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
        if (res.ok) return json as IngestResponse;
        const message = (json as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
        failure = new AgentLedgerError(`HTTP ${res.status}: ${message}`, res.status, json);
        if (res.status !== 429 && res.status < 500) throw failure;
        retryAfter = res.headers.get("retry-after");
      } catch (error) {
        if (error instanceof AgentLedgerError && error.status !== 429 && error.status < 500) throw error;
        failure = error instanceof AgentLedgerError ? error : new AgentLedgerError(`network error: ${(error as Error).message}`, 0, null);
      }
      if (attempt >= this.maxAttempts) throw failure;
      const seconds = Number(retryAfter);
      const delay = retryAfter !== null && Number.isFinite(seconds) ? seconds * 1000 : this.retryDelayMs * 2 ** (attempt - 1);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
