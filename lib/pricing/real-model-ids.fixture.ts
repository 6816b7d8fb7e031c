// Real model ids in the forms provider APIs, SDKs and gateways return, with the model each must price as and the
// provider's published list price (USD per 1M tokens) — typed from the providers' pricing pages, NOT from the
// catalog package, so the test that uses this fixture is not circular. `checked` is the date the price was read.
//
// Where each id form comes from:
const FORMS = {
  openai: "OpenAI API `response.model` (openai-node ChatCompletion.model): the dated snapshot that served the call — https://platform.openai.com/docs/models",
  anthropic: "Anthropic Messages API `Message.model` (anthropic-sdk-typescript Message.model) — https://docs.anthropic.com/en/docs/about-claude/models/overview",
  geminiApi: "Gemini API model resource names `models/{model}` (google-genai Model.name) and GenerateContentResponse.modelVersion — https://ai.google.dev/gemini-api/docs/models",
  vertexGemini: "Vertex AI publisher model resource `projects/{p}/locations/{l}/publishers/google/models/{model}` and modelVersion e.g. gemini-2.0-flash-001 — https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions",
  vertexClaude: "Claude on Vertex AI model names with an @ snapshot suffix — https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude",
  bedrock: "Amazon Bedrock model ids `vendor.model-vN:M` — https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html",
  bedrockProfile: "Bedrock cross-Region inference profile ids (`us.`, `eu.`, `apac.`, `global.` prefixes) and their ARNs — https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html",
  azure: "Azure OpenAI `response.model` names the underlying model version (e.g. gpt-4o-2024-11-20, gpt-35-turbo), the deployment name is the customer's — https://learn.microsoft.com/azure/ai-services/openai/concepts/models",
  openrouter: "OpenRouter model slugs `vendor/model` returned as `model` — https://openrouter.ai/docs/api-reference/overview",
  litellm: "LiteLLM `provider/model` routing names — https://docs.litellm.ai/docs/providers (bedrock/, vertex_ai/, gemini/, anthropic/, azure/)",
} as const;

// Where each price comes from (list prices, standard tier, on-demand).
const PRICES = {
  openai: "https://platform.openai.com/docs/pricing (checked 2025-10-15)",
  anthropic: "https://docs.anthropic.com/en/docs/about-claude/pricing (checked 2025-10-15; >200k prompt tier for Sonnet 4/4.5)",
  google: "https://ai.google.dev/gemini-api/docs/pricing (checked 2025-10-15; >200k prompt tier for 2.5 Pro)",
  vertex: "https://cloud.google.com/vertex-ai/generative-ai/pricing (checked 2025-10-15)",
  bedrock: "https://aws.amazon.com/bedrock/pricing/ (checked 2025-10-15; geographic cross-Region profiles of Claude Sonnet 4.5 / Haiku 4.5 cost 10% more than global)",
} as const;

export type ListPrice = {
  input: string;
  output: string;
  cacheRead?: string;
  cacheWrite?: string;
  /** Prompt tokens (input + cache) above which the whole call is billed at `tier` prices. */
  tierAbove?: number;
  tier?: { input: string; output: string; cacheRead?: string; cacheWrite?: string };
};
export type RealId = {
  id: string;
  form: keyof typeof FORMS;
  /** The catalog provider and model it must resolve to. */
  provider: string;
  model: string;
  price: ListPrice;
  priceSource: keyof typeof PRICES;
  tokens?: { input: number; output: number; cache_read?: number; cache_creation?: number };
};

export const SOURCES = { FORMS, PRICES };

const gpt4o = { input: "2.50", output: "10.00", cacheRead: "1.25" };
const gpt4oMini = { input: "0.15", output: "0.60", cacheRead: "0.075" };
const gpt41 = { input: "2.00", output: "8.00", cacheRead: "0.50" };
const gpt41Mini = { input: "0.40", output: "1.60", cacheRead: "0.10" };
const gpt5 = { input: "1.25", output: "10.00", cacheRead: "0.125" };
const sonnet45 = { input: "3", output: "15", cacheRead: "0.30", cacheWrite: "3.75", tierAbove: 200_000, tier: { input: "6", output: "22.50", cacheRead: "0.60", cacheWrite: "7.50" } };
const sonnet4 = sonnet45;
const sonnet37 = { input: "3", output: "15", cacheRead: "0.30", cacheWrite: "3.75" };
const opus41 = { input: "15", output: "75", cacheRead: "1.50", cacheWrite: "18.75" };
const haiku45 = { input: "1", output: "5", cacheRead: "0.10", cacheWrite: "1.25" };
const haiku35 = { input: "0.80", output: "4", cacheRead: "0.08", cacheWrite: "1" };
const haiku3 = { input: "0.25", output: "1.25", cacheRead: "0.03", cacheWrite: "0.30" };
const gemini25Pro = { input: "1.25", output: "10", tierAbove: 200_000, tier: { input: "2.50", output: "15" } };
const gemini25Flash = { input: "0.30", output: "2.50" };
const gemini20Flash = { input: "0.10", output: "0.40" };

const long = { input: 250_000, output: 2_000 };
const cached = { input: 3_000, output: 700, cache_read: 40_000 };

/**
 * Where the pinned catalog disagrees with the provider's published price. The test asserts they still differ, so a
 * catalog upgrade that fixes one turns the test red and the entry moves into REAL_MODEL_IDS. Until then an
 * organization price row (source manual) for the model is the workaround.
 */
export const KNOWN_CATALOG_GAPS: (RealId & { gap: string })[] = [
  {
    id: "claude-sonnet-4-20250514",
    form: "anthropic",
    provider: "anthropic",
    model: "claude-sonnet-4-0",
    price: sonnet4,
    priceSource: "anthropic",
    tokens: long,
    gap: "genai-prices 0.1.8 has no >200k tier for Claude Sonnet 4 (1M-context beta: $6 / $22.50 above 200k prompt tokens)",
  },
];

export const REAL_MODEL_IDS: RealId[] = [
  // OpenAI API
  { id: "gpt-4o-2024-08-06", form: "openai", provider: "openai", model: "gpt-4o", price: gpt4o, priceSource: "openai", tokens: cached },
  { id: "gpt-4o-2024-11-20", form: "openai", provider: "openai", model: "gpt-4o", price: gpt4o, priceSource: "openai" },
  { id: "gpt-4o", form: "openai", provider: "openai", model: "gpt-4o", price: gpt4o, priceSource: "openai" },
  { id: "gpt-4o-2024-05-13", form: "openai", provider: "openai", model: "gpt-4o-2024-05-13", price: { input: "5.00", output: "15.00" }, priceSource: "openai" },
  { id: "gpt-4o-mini-2024-07-18", form: "openai", provider: "openai", model: "gpt-4o-mini", price: gpt4oMini, priceSource: "openai", tokens: cached },
  { id: "gpt-4.1-2025-04-14", form: "openai", provider: "openai", model: "gpt-4.1", price: gpt41, priceSource: "openai" },
  { id: "gpt-4.1-mini-2025-04-14", form: "openai", provider: "openai", model: "gpt-4.1-mini", price: gpt41Mini, priceSource: "openai" },
  { id: "gpt-4.1-nano-2025-04-14", form: "openai", provider: "openai", model: "gpt-4.1-nano", price: { input: "0.10", output: "0.40", cacheRead: "0.025" }, priceSource: "openai" },
  { id: "gpt-5-2025-08-07", form: "openai", provider: "openai", model: "gpt-5", price: gpt5, priceSource: "openai", tokens: cached },
  { id: "gpt-5-mini-2025-08-07", form: "openai", provider: "openai", model: "gpt-5-mini", price: { input: "0.25", output: "2.00", cacheRead: "0.025" }, priceSource: "openai" },
  { id: "gpt-5-nano-2025-08-07", form: "openai", provider: "openai", model: "gpt-5-nano", price: { input: "0.05", output: "0.40", cacheRead: "0.005" }, priceSource: "openai" },
  { id: "o3-2025-04-16", form: "openai", provider: "openai", model: "o3", price: { input: "2.00", output: "8.00", cacheRead: "0.50" }, priceSource: "openai" },
  { id: "o4-mini-2025-04-16", form: "openai", provider: "openai", model: "o4-mini", price: { input: "1.10", output: "4.40", cacheRead: "0.275" }, priceSource: "openai" },
  { id: "o1-2024-12-17", form: "openai", provider: "openai", model: "o1", price: { input: "15.00", output: "60.00", cacheRead: "7.50" }, priceSource: "openai" },
  { id: "o3-mini-2025-01-31", form: "openai", provider: "openai", model: "o3-mini", price: { input: "1.10", output: "4.40", cacheRead: "0.55" }, priceSource: "openai" },
  { id: "gpt-3.5-turbo-0125", form: "openai", provider: "openai", model: "gpt-3.5-turbo", price: { input: "0.50", output: "1.50" }, priceSource: "openai" },
  { id: "text-embedding-3-small", form: "openai", provider: "openai", model: "text-embedding-3-small", price: { input: "0.02", output: "0" }, priceSource: "openai", tokens: { input: 90_000, output: 0 } },
  { id: "text-embedding-3-large", form: "openai", provider: "openai", model: "text-embedding-3-large", price: { input: "0.13", output: "0" }, priceSource: "openai", tokens: { input: 90_000, output: 0 } },
  // Anthropic API
  { id: "claude-sonnet-4-5-20250929", form: "anthropic", provider: "anthropic", model: "claude-sonnet-4-5", price: sonnet45, priceSource: "anthropic", tokens: { input: 5_000, output: 800, cache_read: 20_000, cache_creation: 4_000 } },
  { id: "claude-sonnet-4-5-20250929", form: "anthropic", provider: "anthropic", model: "claude-sonnet-4-5", price: sonnet45, priceSource: "anthropic", tokens: { ...long, cache_read: 10_000 } },
  { id: "claude-sonnet-4-20250514", form: "anthropic", provider: "anthropic", model: "claude-sonnet-4-0", price: sonnet4, priceSource: "anthropic" },
  { id: "claude-3-7-sonnet-20250219", form: "anthropic", provider: "anthropic", model: "claude-3-7-sonnet-latest", price: sonnet37, priceSource: "anthropic" },
  { id: "claude-opus-4-1-20250805", form: "anthropic", provider: "anthropic", model: "claude-opus-4-1", price: opus41, priceSource: "anthropic", tokens: { input: 2_000, output: 500, cache_creation: 8_000 } },
  { id: "claude-opus-4-20250514", form: "anthropic", provider: "anthropic", model: "claude-opus-4-0", price: opus41, priceSource: "anthropic" },
  { id: "claude-opus-4-5-20251101", form: "anthropic", provider: "anthropic", model: "claude-opus-4-5", price: { input: "5", output: "25", cacheRead: "0.50", cacheWrite: "6.25" }, priceSource: "anthropic" },
  { id: "claude-haiku-4-5-20251001", form: "anthropic", provider: "anthropic", model: "claude-haiku-4-5", price: haiku45, priceSource: "anthropic", tokens: cached },
  { id: "claude-3-5-haiku-20241022", form: "anthropic", provider: "anthropic", model: "claude-3-5-haiku-latest", price: haiku35, priceSource: "anthropic" },
  { id: "claude-3-haiku-20240307", form: "anthropic", provider: "anthropic", model: "claude-3-haiku", price: haiku3, priceSource: "anthropic" },
  { id: "claude-3-5-sonnet-20241022", form: "anthropic", provider: "anthropic", model: "claude-3-5-sonnet", price: sonnet37, priceSource: "anthropic" },
  { id: "claude-3-opus-20240229", form: "anthropic", provider: "anthropic", model: "claude-3-opus-latest", price: { input: "15", output: "75", cacheRead: "1.50", cacheWrite: "18.75" }, priceSource: "anthropic" },
  // Gemini API (AI Studio)
  { id: "models/gemini-2.5-pro", form: "geminiApi", provider: "google", model: "gemini-2.5-pro", price: gemini25Pro, priceSource: "google" },
  { id: "models/gemini-2.5-pro", form: "geminiApi", provider: "google", model: "gemini-2.5-pro", price: gemini25Pro, priceSource: "google", tokens: long },
  { id: "gemini-2.5-pro", form: "geminiApi", provider: "google", model: "gemini-2.5-pro", price: gemini25Pro, priceSource: "google" },
  { id: "models/gemini-2.5-flash", form: "geminiApi", provider: "google", model: "gemini-2.5-flash", price: gemini25Flash, priceSource: "google" },
  { id: "gemini-2.5-flash", form: "geminiApi", provider: "google", model: "gemini-2.5-flash", price: gemini25Flash, priceSource: "google" },
  { id: "models/gemini-2.0-flash", form: "geminiApi", provider: "google", model: "gemini-2.0-flash", price: gemini20Flash, priceSource: "google" },
  { id: "gemini-2.0-flash-lite", form: "geminiApi", provider: "google", model: "gemini-2.0-flash-lite", price: { input: "0.075", output: "0.30" }, priceSource: "google" },
  { id: "gemini-2.5-flash-lite", form: "geminiApi", provider: "google", model: "gemini-2.5-flash-lite", price: { input: "0.10", output: "0.40" }, priceSource: "google" },
  // Vertex AI (Gemini and Claude)
  { id: "gemini-2.0-flash-001", form: "vertexGemini", provider: "google", model: "gemini-2.0-flash", price: gemini20Flash, priceSource: "vertex" },
  { id: "publishers/google/models/gemini-2.5-flash", form: "vertexGemini", provider: "google", model: "gemini-2.5-flash", price: gemini25Flash, priceSource: "vertex" },
  { id: "projects/acme-ml/locations/us-central1/publishers/google/models/gemini-2.5-pro", form: "vertexGemini", provider: "google", model: "gemini-2.5-pro", price: gemini25Pro, priceSource: "vertex" },
  { id: "claude-sonnet-4-5@20250929", form: "vertexClaude", provider: "anthropic", model: "claude-sonnet-4-5", price: sonnet45, priceSource: "vertex" },
  { id: "claude-3-5-haiku@20241022", form: "vertexClaude", provider: "anthropic", model: "claude-3-5-haiku-latest", price: haiku35, priceSource: "vertex" },
  { id: "claude-opus-4-1@20250805", form: "vertexClaude", provider: "anthropic", model: "claude-opus-4-1", price: opus41, priceSource: "vertex" },
  { id: "claude-3-5-sonnet-v2@20241022", form: "vertexClaude", provider: "anthropic", model: "claude-3-5-sonnet", price: sonnet37, priceSource: "vertex" },
  { id: "claude-haiku-4-5@20251001", form: "vertexClaude", provider: "anthropic", model: "claude-haiku-4-5", price: haiku45, priceSource: "vertex" },
  // Amazon Bedrock: model ids and cross-Region inference profiles
  { id: "anthropic.claude-3-5-haiku-20241022-v1:0", form: "bedrock", provider: "aws", model: "regional.anthropic.claude-3-5-haiku-20241022-v1:0", price: { input: "0.80", output: "4" }, priceSource: "bedrock" },
  { id: "anthropic.claude-3-haiku-20240307-v1:0", form: "bedrock", provider: "aws", model: "regional.anthropic.claude-3-haiku-20240307-v1:0", price: { input: "0.25", output: "1.25" }, priceSource: "bedrock" },
  { id: "us.anthropic.claude-3-7-sonnet-20250219-v1:0", form: "bedrockProfile", provider: "aws", model: "regional.anthropic.claude-3-7-sonnet-20250219-v1:0", price: { input: "3", output: "15" }, priceSource: "bedrock" },
  { id: "eu.anthropic.claude-3-7-sonnet-20250219-v1:0", form: "bedrockProfile", provider: "aws", model: "regional.anthropic.claude-3-7-sonnet-20250219-v1:0", price: { input: "3", output: "15" }, priceSource: "bedrock" },
  { id: "us.anthropic.claude-sonnet-4-20250514-v1:0", form: "bedrockProfile", provider: "aws", model: "regional.anthropic.claude-sonnet-4-20250514-v1:0", price: { input: "3", output: "15" }, priceSource: "bedrock" },
  { id: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", form: "bedrockProfile", provider: "aws", model: "regional.anthropic.claude-sonnet-4-5-20250929-v1:0", price: { input: "3.30", output: "16.50", cacheRead: "0.33", cacheWrite: "4.125" }, priceSource: "bedrock", tokens: cached },
  { id: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", form: "bedrockProfile", provider: "aws", model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", price: { input: "3", output: "15", cacheRead: "0.30", cacheWrite: "3.75" }, priceSource: "bedrock", tokens: cached },
  {
    id: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    form: "bedrockProfile",
    provider: "aws",
    model: "regional.anthropic.claude-3-7-sonnet-20250219-v1:0",
    price: { input: "3", output: "15" },
    priceSource: "bedrock",
  },
  { id: "us.anthropic.claude-opus-4-1-20250805-v1:0", form: "bedrockProfile", provider: "aws", model: "regional.anthropic.claude-opus-4-1-20250805-v1:0", price: { input: "15", output: "75" }, priceSource: "bedrock" },
  { id: "amazon.nova-pro-v1:0", form: "bedrock", provider: "aws", model: "amazon.nova-pro-v1:0", price: { input: "0.80", output: "3.20" }, priceSource: "bedrock" },
  { id: "us.amazon.nova-lite-v1:0", form: "bedrockProfile", provider: "aws", model: "amazon.nova-lite-v1:0", price: { input: "0.06", output: "0.24" }, priceSource: "bedrock" },
  { id: "amazon.nova-micro-v1:0", form: "bedrock", provider: "aws", model: "amazon.nova-micro-v1:0", price: { input: "0.035", output: "0.14" }, priceSource: "bedrock" },
  { id: "meta.llama3-1-70b-instruct-v1:0", form: "bedrock", provider: "aws", model: "meta.llama3-1-70b-instruct-v1:0", price: { input: "0.72", output: "0.72" }, priceSource: "bedrock" },
  { id: "meta.llama3-1-8b-instruct-v1:0", form: "bedrock", provider: "aws", model: "meta.llama3-1-8b-instruct-v1:0", price: { input: "0.22", output: "0.22" }, priceSource: "bedrock" },
  // Azure OpenAI (response.model)
  { id: "gpt-35-turbo", form: "azure", provider: "openai", model: "gpt-3.5-turbo", price: { input: "0.50", output: "1.50" }, priceSource: "openai" },
  { id: "gpt-4o-mini", form: "azure", provider: "openai", model: "gpt-4o-mini", price: gpt4oMini, priceSource: "openai" },
  { id: "gpt-4.1", form: "azure", provider: "openai", model: "gpt-4.1", price: gpt41, priceSource: "openai" },
  // OpenRouter
  { id: "openai/gpt-4o", form: "openrouter", provider: "openai", model: "gpt-4o", price: gpt4o, priceSource: "openai" },
  { id: "openai/gpt-4o-mini", form: "openrouter", provider: "openai", model: "gpt-4o-mini", price: gpt4oMini, priceSource: "openai" },
  { id: "anthropic/claude-sonnet-4", form: "openrouter", provider: "anthropic", model: "claude-sonnet-4-0", price: sonnet4, priceSource: "anthropic" },
  { id: "anthropic/claude-3.7-sonnet", form: "openrouter", provider: "anthropic", model: "claude-3-7-sonnet-latest", price: sonnet37, priceSource: "anthropic" },
  { id: "google/gemini-2.5-pro", form: "openrouter", provider: "google", model: "gemini-2.5-pro", price: gemini25Pro, priceSource: "google" },
  { id: "google/gemini-2.5-flash", form: "openrouter", provider: "google", model: "gemini-2.5-flash", price: gemini25Flash, priceSource: "google" },
  // LiteLLM routing names
  { id: "bedrock/anthropic.claude-3-haiku-20240307-v1:0", form: "litellm", provider: "aws", model: "regional.anthropic.claude-3-haiku-20240307-v1:0", price: { input: "0.25", output: "1.25" }, priceSource: "bedrock" },
  { id: "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0", form: "litellm", provider: "aws", model: "regional.anthropic.claude-3-5-haiku-20241022-v1:0", price: { input: "0.80", output: "4" }, priceSource: "bedrock" },
  { id: "vertex_ai/gemini-2.5-pro", form: "litellm", provider: "google", model: "gemini-2.5-pro", price: gemini25Pro, priceSource: "vertex", tokens: long },
  { id: "gemini/gemini-2.5-flash", form: "litellm", provider: "google", model: "gemini-2.5-flash", price: gemini25Flash, priceSource: "google" },
  { id: "anthropic/claude-3-5-sonnet-20240620", form: "litellm", provider: "anthropic", model: "claude-3-5-sonnet", price: sonnet37, priceSource: "anthropic" },
  { id: "openai/gpt-4.1-mini", form: "litellm", provider: "openai", model: "gpt-4.1-mini", price: gpt41Mini, priceSource: "openai" },
  { id: "vertex_ai/claude-sonnet-4-5@20250929", form: "litellm", provider: "anthropic", model: "claude-sonnet-4-5", price: sonnet45, priceSource: "vertex" },
];
