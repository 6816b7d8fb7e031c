// Generated FOCUS files with AI rows in each provider's own naming, for the tests and bench:focus-import. Where the
// names come from (README.md here, "AI row filter"): AWS bills Bedrock as "Amazon Bedrock" and third-party models
// through AWS Marketplace as "<model> (Amazon Bedrock Edition)"; Azure bills Azure OpenAI under "Azure AI Services"
// (FinOps toolkit Services.csv: microsoft.cognitiveservices/accounts → Azure AI Services / AI and Machine
// Learning); Google Cloud bills "Vertex AI". Units and SKUs are illustrative.
import { toCsv, type CsvValue } from "@/lib/csv";

/** FOCUS 1.3 column names (the import reads 1.0–1.2's ProviderName as well). */
export const AI_FILE_COLUMNS = [
  "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd",
  "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency",
  "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "ConsumedQuantity", "ConsumedUnit",
  "ServiceCategory", "ServiceName", "ServiceProviderName", "HostProviderName", "ResourceId", "ResourceName", "ResourceType",
  "SkuId", "SkuPriceId", "RegionId", "SubAccountId", "Tags", "x_CostCenter",
] as const;

export type AiRow = Partial<Record<(typeof AI_FILE_COLUMNS)[number], CsvValue>>;

const base = (provider: string, account: string, period = "2026-10-01T00:00:00Z", end = "2026-11-01T00:00:00Z"): AiRow => ({
  BillingAccountId: account, BillingAccountName: `${provider} account`, BillingCurrency: "USD", BillingPeriodStart: period, BillingPeriodEnd: end,
  ChargeCategory: "Usage", ChargeFrequency: "Usage-Based", ServiceCategory: "AI and Machine Learning", ServiceProviderName: provider, HostProviderName: provider,
});

export const bedrock = (over: AiRow = {}): AiRow => ({
  ...base("AWS", "111122223333"),
  ChargePeriodStart: "2026-10-05T10:00:00Z", ChargePeriodEnd: "2026-10-05T11:00:00Z",
  ChargeDescription: "Amazon Bedrock Llama 3 70B input tokens", ServiceName: "Amazon Bedrock", ConsumedQuantity: "1200", ConsumedUnit: "1K tokens",
  BilledCost: "3.12", EffectiveCost: "3.12", ListCost: "3.12", ContractedCost: "3.12",
  ResourceId: "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-70b-instruct-v1:0", ResourceName: null, ResourceType: "Foundation model",
  SkuId: "USE1-Llama3-70B-input-tokens", SkuPriceId: "USE1-Llama3-70B-input-tokens.0001", RegionId: "us-east-1", SubAccountId: "444455556666",
  Tags: JSON.stringify({ "cost-center": "RND", agent: "research-bot" }), ...over,
});

export const bedrockMarketplace = (over: AiRow = {}): AiRow => ({
  ...base("AWS", "111122223333"),
  ServiceCategory: null, ServiceProviderName: "Anthropic", HostProviderName: "AWS",
  ChargePeriodStart: "2026-10-06T10:00:00Z", ChargePeriodEnd: "2026-10-06T11:00:00Z",
  ChargeDescription: "Claude 3.5 Sonnet output tokens", ServiceName: "Claude 3.5 Sonnet (Amazon Bedrock Edition)", ConsumedQuantity: "85", ConsumedUnit: "1K tokens",
  BilledCost: "1.275", EffectiveCost: "1.275", ResourceId: null, SkuId: "USE1-MP:USE1_OutputTokenCount-Units", RegionId: "us-east-1",
  Tags: JSON.stringify({ "cost-center": "SUPPORT", agent: "support-bot" }), ...over,
});

export const azureOpenAi = (over: AiRow = {}): AiRow => ({
  ...base("Microsoft", "/providers/Microsoft.Billing/billingAccounts/12345678"),
  ChargePeriodStart: "2026-10-07T00:00:00Z", ChargePeriodEnd: "2026-10-08T00:00:00Z",
  ChargeDescription: "gpt-4o-0513-Inp-glbl", ServiceName: "Azure AI Services", ConsumedQuantity: "5400", ConsumedUnit: "1K Tokens",
  BilledCost: "13.50", EffectiveCost: "13.50", ResourceId: "/subscriptions/0000-1111/resourcegroups/rg-ai/providers/microsoft.cognitiveservices/accounts/contoso-openai",
  ResourceName: "contoso-openai", ResourceType: "microsoft.cognitiveservices/accounts", SkuId: "DZH318Z0BQ4B", RegionId: "eastus2",
  Tags: JSON.stringify({ department: "SUPPORT" }), x_CostCenter: "SUPPORT", ...over,
});

export const vertex = (over: AiRow = {}): AiRow => ({
  ...base("Google Cloud", "01ABCD-234567-89EF01"),
  ChargePeriodStart: "2026-10-08T00:00:00Z", ChargePeriodEnd: "2026-10-08T01:00:00Z",
  ChargeDescription: "Gemini 1.5 Pro Text Input - Predictions", ServiceName: "Vertex AI", ConsumedQuantity: "2000000", ConsumedUnit: "Tokens",
  BilledCost: "2.50", EffectiveCost: "2.50", ResourceId: "projects/acme-ml/locations/us-central1/publishers/google/models/gemini-1.5-pro",
  ResourceName: "gemini-1.5-pro", SkuId: "A121-E2B5-1418", RegionId: "us-central1", Tags: JSON.stringify({ "cost-center": "RND" }), ...over,
});

export const compute = (over: AiRow = {}): AiRow => ({
  ...base("AWS", "111122223333"),
  ServiceCategory: "Compute", ServiceName: "Amazon Elastic Compute Cloud", ChargePeriodStart: "2026-10-05T10:00:00Z", ChargePeriodEnd: "2026-10-05T11:00:00Z",
  ChargeDescription: "m5.large", BilledCost: "0.096", EffectiveCost: "0.096", ResourceId: "i-0abc", ConsumedQuantity: "1", ConsumedUnit: "Hours", ...over,
});

export function aiFocusCsv(rows: AiRow[]): string {
  return toCsv(AI_FILE_COLUMNS, rows.map((r) => AI_FILE_COLUMNS.map((c) => r[c] ?? null)));
}
