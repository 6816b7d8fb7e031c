// GET with retries: network errors, 408, 429 and 5xx are retried with exponential backoff (honouring
// Retry-After); other statuses fail at once, since repeating them cannot help. Requests go through the outbound
// policy (lib/net/outbound.ts); stored errors name the status, never the response body.
import { OutboundPolicyError, failureReason, outboundFetch, statusReason } from "@/lib/net/outbound";

export type RetryOptions = { attempts: number; baseDelayMs: number; maxDelayMs: number; timeoutMs: number };

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, timeoutMs: 60_000 };

export class ProviderError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

function delayFor(attempt: number, retryAfter: string | null, options: RetryOptions): number {
  const seconds = retryAfter !== null ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, options.maxDelayMs);
  const exponential = options.baseDelayMs * 2 ** attempt;
  return Math.min(exponential / 2 + Math.random() * (exponential / 2), options.maxDelayMs);
}

export async function getJson(url: string, headers: Record<string, string>, options: RetryOptions = DEFAULT_RETRY): Promise<unknown> {
  let last: ProviderError | undefined;
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    let retryAfter: string | null = null;
    try {
      const res = await outboundFetch(url, { headers: { accept: "application/json", ...headers }, timeoutMs: options.timeoutMs });
      if (res.ok) return await res.json();
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      last = new ProviderError(`HTTP ${res.status} from ${new URL(url).pathname}: ${statusReason(res.status)}`, retryable);
      retryAfter = res.headers.get("retry-after");
    } catch (error) {
      // A policy refusal is final: retrying cannot make the address allowed.
      last = new ProviderError(`request to ${new URL(url).pathname} failed: ${failureReason(error)}`, !(error instanceof OutboundPolicyError));
    }
    if (!last.retryable) throw last;
    if (attempt + 1 < options.attempts) await new Promise((r) => setTimeout(r, delayFor(attempt, retryAfter, options)));
  }
  throw last!;
}
