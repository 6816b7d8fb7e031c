// Cost of one LLM call from its token counts and a model price row — exact integer arithmetic, no floats.
// Prices have at most 6 decimals (model_prices is numeric(14,6)), so they are held in millionths, and
// Σ tokens × millionths-per-million-tokens is the exact cost in 1e-12 currency units. That is rounded to 1e-10
// (half-even) to fit usage_events.cost numeric(20,10). Numbers are used while every intermediate is a safe
// integer (always, for realistic token counts), BigInt beyond that: integer math is ~50× faster than decimal.js
// on the ingestion hot path and just as exact.
// Token classes are disjoint: input excludes cached tokens, output excludes reasoning tokens (ingestion
// normalizes provider usage objects into these five counts before pricing). Audio counts are not a class of their
// own but the part of input / output that is audio: that part is billed at the audio price, the rest at the text
// price (capped at the class, so a count larger than its class never bills more tokens than the call had).

export const COST_DECIMALS = 10;

type Amount = string | number | { toString(): string };

export type TokenCounts = {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheCreationTokens?: number;
  reasoningTokens?: number;
  /** Part of inputTokens that is audio (gen_ai.usage.audio.input_tokens). */
  audioInputTokens?: number;
  /** Part of outputTokens that is audio (gen_ai.usage.audio.output_tokens). */
  audioOutputTokens?: number;
};

/** Prices per million tokens; accepts strings, numbers, or Prisma/decimal.js Decimals. */
export type TokenPrice = {
  inputPerMTok: Amount;
  outputPerMTok: Amount;
  cacheReadPerMTok?: Amount | null;
  cacheCreationPerMTok?: Amount | null;
  reasoningPerMTok?: Amount | null;
  inputAudioPerMTok?: Amount | null;
  outputAudioPerMTok?: Amount | null;
};

/** A price row in millionths of the currency per million tokens, with the fallbacks applied. */
export type MicroPrice = { input: number; output: number; cacheRead: number; cacheCreation: number; reasoning: number; audioInput: number; audioOutput: number };

/** "1.25" → 1_250_000 (millionths). Throws on a negative value or more than 6 decimals. */
export function toMicro(value: Amount): number {
  const text = value.toString().trim();
  const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new RangeError(`price must be a non-negative decimal with at most 6 decimals, got ${text}`);
  return Number(match[1]) * 1_000_000 + Number((match[2] ?? "").padEnd(6, "0"));
}

/** Cache classes and audio input fall back to the input price, reasoning and audio output to the output price. */
export function microPrice(prices: TokenPrice): MicroPrice {
  const input = toMicro(prices.inputPerMTok);
  const output = toMicro(prices.outputPerMTok);
  const or = (value: Amount | null | undefined, fallback: number) => (value === null || value === undefined ? fallback : toMicro(value));
  return {
    input,
    output,
    cacheRead: or(prices.cacheReadPerMTok, input),
    cacheCreation: or(prices.cacheCreationPerMTok, input),
    reasoning: or(prices.reasoningPerMTok, output),
    audioInput: or(prices.inputAudioPerMTok, input),
    audioOutput: or(prices.outputAudioPerMTok, output),
  };
}

function tokenCount(value: number | undefined, name: string): number {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/** (token count, price in millionths) pairs whose products sum to the cost in 1e-12 units. */
function costTerms(p: MicroPrice, tokens: TokenCounts): [number, number][] {
  const input = tokenCount(tokens.inputTokens, "inputTokens");
  const output = tokenCount(tokens.outputTokens, "outputTokens");
  const audioIn = Math.min(tokenCount(tokens.audioInputTokens, "audioInputTokens"), input);
  const audioOut = Math.min(tokenCount(tokens.audioOutputTokens, "audioOutputTokens"), output);
  return [
    [input - audioIn, p.input],
    [audioIn, p.audioInput],
    [output - audioOut, p.output],
    [audioOut, p.audioOutput],
    [tokenCount(tokens.cacheReadTokens, "cacheReadTokens"), p.cacheRead],
    [tokenCount(tokens.cacheCreationTokens, "cacheCreationTokens"), p.cacheCreation],
    [tokenCount(tokens.reasoningTokens, "reasoningTokens"), p.reasoning],
  ];
}

/** Cost in 1e-10 currency units, rounded half-even. */
export function costUnits(p: MicroPrice, tokens: TokenCounts): number | bigint {
  const terms = costTerms(p, tokens);
  // Σ tokens × millionths-per-million-tokens = the exact cost in 1e-12 units.
  let picos = 0;
  let safe = true;
  for (const [count, rate] of terms) {
    const product = count * rate;
    safe &&= Number.isSafeInteger(product);
    picos += product;
  }
  if (safe && Number.isSafeInteger(picos)) {
    const units = Math.floor(picos / 100);
    const rest = picos - units * 100;
    return rest > 50 || (rest === 50 && units % 2 === 1) ? units + 1 : units;
  }
  let big = 0n;
  for (const [count, rate] of terms) big += BigInt(count) * BigInt(rate);
  const units = big / 100n;
  const rest = big - units * 100n;
  return rest > 50n || (rest === 50n && units % 2n === 1n) ? units + 1n : units;
}

/** Integer units of 10^-decimals → fixed-point string, e.g. (12345, 4) → "1.2345". */
export function formatUnits(units: number | bigint, decimals = COST_DECIMALS): string {
  const negative = units < 0;
  const digits = String(negative ? -units : units).padStart(decimals + 1, "0");
  const cut = digits.length - decimals;
  return (negative ? "-" : "") + digits.slice(0, cut) + "." + digits.slice(cut);
}

/** Exact cost with 10 decimals (e.g. "0.0210000000"), for SQL parameters and display. */
export function computeTokenCostString(tokens: TokenCounts, prices: TokenPrice | MicroPrice): string {
  return formatUnits(costUnits("input" in prices ? prices : microPrice(prices), tokens));
}

/** An exact multiplier num/den applied to a whole cost (service tier × negotiated discount); null = 1. */
export type Factor = { num: bigint; den: bigint } | null;

/** Percent off (up to 4 decimals, e.g. "12.5") as a factor: (100 − p) / 100. */
export function discountFactor(percent: string): { num: bigint; den: bigint } {
  const match = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(percent.trim());
  if (!match) throw new RangeError(`discount must be a percent with at most 4 decimals, got ${percent}`);
  const tenThousandths = BigInt(match[1]!) * 10_000n + BigInt((match[2] ?? "").padEnd(4, "0"));
  if (tenThousandths > 1_000_000n) throw new RangeError(`discount must be at most 100, got ${percent}`);
  return { num: 1_000_000n - tenThousandths, den: 1_000_000n };
}

export function multiplyFactors(a: Factor, b: Factor): Factor {
  if (!a) return b;
  if (!b) return a;
  return { num: a.num * b.num, den: a.den * b.den };
}

/** Cost in 1e-10 units of Σ tokens × price, times `factor`, rounded half-even once at the end. */
export function costUnitsWithFactor(p: MicroPrice, tokens: TokenCounts, factor: Factor): number | bigint {
  if (!factor) return costUnits(p, tokens);
  let picos = 0n;
  for (const [count, rate] of costTerms(p, tokens)) picos += BigInt(count) * BigInt(rate);
  const n = picos * factor.num;
  const d = factor.den * 100n;
  const q = n / d;
  const twice = (n - q * d) * 2n;
  const units = twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
  return units <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(units) : units;
}

/** Prompt-size tiers in millionths; above `start` prompt tokens the whole call is billed at the tier's prices. */
export type MicroTier = { start: number; price: MicroPrice };

/** The price for a call of this size: prompt = input + cache read + cache write (classes are disjoint). */
export function tierPrice(base: MicroPrice, tiers: readonly MicroTier[], tokens: TokenCounts): MicroPrice {
  if (tiers.length === 0) return base;
  const prompt = (tokens.inputTokens ?? 0) + (tokens.cacheReadTokens ?? 0) + (tokens.cacheCreationTokens ?? 0);
  let price = base;
  for (const t of tiers) if (prompt > t.start) price = t.price;
  return price;
}

/** Tier prices with the base's classes filling the gaps, then the usual cache/reasoning fallbacks. */
export function microTiers(base: TokenPrice, tiers: readonly { start: number; input?: string; output?: string; cacheRead?: string; cacheCreation?: string }[] | null): MicroTier[] {
  return (tiers ?? []).map((t) => ({
    start: t.start,
    price: microPrice({
      inputPerMTok: t.input ?? base.inputPerMTok,
      outputPerMTok: t.output ?? base.outputPerMTok,
      cacheReadPerMTok: t.cacheRead ?? base.cacheReadPerMTok,
      cacheCreationPerMTok: t.cacheCreation ?? base.cacheCreationPerMTok,
      reasoningPerMTok: base.reasoningPerMTok,
      inputAudioPerMTok: base.inputAudioPerMTok,
      outputAudioPerMTok: base.outputAudioPerMTok,
    }),
  }));
}
