// Seed list prices per million tokens (USD), as published by each provider for standard (non-batch,
// <=200k-context) usage. Plain data so the seed, tests and the admin "reset prices" path share one table.
// cacheCreationPerMTok null = cache writes cost the same as input (OpenAI, Google bill no write premium).

export type ModelPriceSeed = {
  model: string;
  provider: "openai" | "anthropic" | "google";
  currency: "USD";
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string | null;
  cacheCreationPerMTok: string | null;
  /** null = reasoning tokens are billed at the output price. */
  reasoningPerMTok: string | null;
  /** ISO date (UTC midnight). */
  effectiveFrom: string;
  effectiveTo: string | null;
};

const FROM = "2025-01-01";

function row(
  provider: ModelPriceSeed["provider"],
  model: string,
  input: string,
  output: string,
  cacheRead: string | null,
  cacheCreation: string | null,
  effectiveFrom = FROM,
  effectiveTo: string | null = null,
): ModelPriceSeed {
  return {
    model,
    provider,
    currency: "USD",
    inputPerMTok: input,
    outputPerMTok: output,
    cacheReadPerMTok: cacheRead,
    cacheCreationPerMTok: cacheCreation,
    reasoningPerMTok: null,
    effectiveFrom,
    effectiveTo,
  };
}

export const MODEL_PRICES: readonly ModelPriceSeed[] = [
  // OpenAI: cached input is discounted, cache writes are free (billed as plain input).
  row("openai", "gpt-5", "1.25", "10.00", "0.125", null),
  row("openai", "gpt-5-mini", "0.25", "2.00", "0.025", null),
  row("openai", "gpt-4.1", "2.00", "8.00", "0.50", null),
  row("openai", "gpt-4.1-mini", "0.40", "1.60", "0.10", null),
  row("openai", "gpt-4o", "2.50", "10.00", "1.25", null),
  row("openai", "gpt-4o-mini", "0.15", "0.60", "0.075", null),
  // o3 launched at 10/40 and was cut by 80% on 2025-06-10: two rows exercise effective dating.
  row("openai", "o3", "10.00", "40.00", "2.50", null, FROM, "2025-06-10"),
  row("openai", "o3", "2.00", "8.00", "0.50", null, "2025-06-10"),
  row("openai", "o4-mini", "1.10", "4.40", "0.275", null),
  // Anthropic: cache reads at 0.1x input, 5-minute cache writes at 1.25x input.
  row("anthropic", "claude-opus-4-5", "5.00", "25.00", "0.50", "6.25"),
  row("anthropic", "claude-sonnet-4-5", "3.00", "15.00", "0.30", "3.75"),
  row("anthropic", "claude-haiku-4-5", "1.00", "5.00", "0.10", "1.25"),
  row("anthropic", "claude-3-5-haiku", "0.80", "4.00", "0.08", "1.00"),
  // Google: context-cache reads discounted; cache storage is billed per hour, outside token pricing.
  row("google", "gemini-2.5-pro", "1.25", "10.00", "0.125", null),
  row("google", "gemini-2.5-flash", "0.30", "2.50", "0.03", null),
];
