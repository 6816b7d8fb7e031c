// FOCUS import settings (organization-wide, admin-editable): which rows are AI spend, which cost column counts, and
// how a row finds its agent, department and customer. No `server-only`: the import page shows the defaults.
import { z } from "zod";

/**
 * ServiceName values of AI services as each provider writes them in its FOCUS export, beyond those already in
 * ServiceCategory "AI and Machine Learning". `*` matches any text. Sources (README.md here, "AI row filter"):
 * AWS Cost and Usage Report 2.0 / FOCUS product names (Amazon Bedrock; third-party Bedrock models billed through
 * AWS Marketplace as "<model> (Amazon Bedrock Edition)"); the FinOps toolkit's open-data Services.csv for Azure
 * (Azure OpenAI is billed under "Azure AI Services", ConsumedService microsoft.cognitiveservices); Google Cloud
 * Billing service descriptions (Vertex AI, Gemini API = "Generative Language API"); OCI service names.
 */
export const DEFAULT_AI_SERVICES = [
  "Amazon Bedrock",
  "* (Amazon Bedrock Edition)",
  "Amazon SageMaker",
  "Amazon Q",
  "Azure OpenAI",
  "Azure OpenAI Service",
  "Azure AI Services",
  "Azure AI Foundry",
  "Azure Machine Learning",
  "Vertex AI",
  "Gemini API",
  "Generative Language API",
  "OCI Generative AI",
  "Generative AI",
  "Generative AI Agents",
] as const;

/** A mapping source: a column (FOCUS or `x_…`) or `tag:<key>`. */
const source = z.string().min(1).max(128).regex(/^(tag:.+|[A-Za-z_][A-Za-z0-9_]*)$/, "a column name or tag:<key>");

const lookup = z.strictObject({
  /** Tried in order; the first non-empty value is used. */
  sources: z.array(source).max(20),
  /** Optional value → code translation (e.g. tag value "fin" → department code "FIN"); unlisted values pass as they are. */
  values: z.record(z.string().max(256), z.string().min(1).max(128)).default({}),
});

export const FocusSettingsSchema = z
  .strictObject({
    filter: z.strictObject({
      /** Import every row, not only AI spend. */
      all: z.boolean().default(false),
      categories: z.array(z.string().min(1).max(128)).max(50).default(["AI and Machine Learning"]),
      services: z.array(z.string().min(1).max(128)).max(200).default([...DEFAULT_AI_SERVICES]),
    }),
    /**
     * EffectiveCost (default): the amortized cost after discounts and commitments, what a department consumed —
     * a commitment's purchase is spread over the usage it covers, so chargeback does not count it twice.
     * BilledCost: what the invoice says for the period (upfront purchases in full when bought, usage covered by
     * a commitment at 0).
     */
    costColumn: z.enum(["EffectiveCost", "BilledCost"]).default("EffectiveCost"),
    agent: z.strictObject({ sources: z.array(source).min(1).max(20) }).default({ sources: ["tag:agent", "ResourceName", "ResourceId", "ServiceName"] }),
    department: lookup.default({ sources: ["tag:cost-center", "tag:department", "x_CostCenterCode"], values: {} }),
    customer: lookup.default({ sources: ["tag:customer"], values: {} }),
  })
  .meta({ id: "FocusImportSettings" });

export type FocusSettings = z.infer<typeof FocusSettingsSchema>;

/** Stored settings over the defaults (an empty `{}` in the database means all defaults). */
export function focusSettings(stored: unknown): FocusSettings {
  const value = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  return FocusSettingsSchema.parse({ filter: {}, ...value });
}
